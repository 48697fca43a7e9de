// The stand-in model now lives in src/stand-in (the demo ships it); tests import it from here.
export * from '../../src/stand-in/server.js';
