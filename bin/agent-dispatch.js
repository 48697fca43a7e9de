#!/usr/bin/env node
// `agent-dispatch serve` alone (how Claude Code starts us, at every session) has its own small entry, so the
// handshake and tools/list are answered before the rest of the CLI loads; everything else goes through main.js.
import module from 'node:module';

// Node 22.1+ keeps compiled code between runs (a no-op on Node 20).
module.enableCompileCache?.();
const args = process.argv.slice(2);
await import(args.length === 1 && args[0] === 'serve' ? '../dist/cli/serve-main.js' : '../dist/cli/main.js');
