// Moved to src/stand-in (the demo ships the stand-in model); kept so existing imports work.
export * from '../../../src/stand-in/json-script.js';
