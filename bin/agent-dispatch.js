#!/usr/bin/env node
// `agent-dispatch serve` alone (how Claude Code starts us, at every session) has its own small entry, so the
// handshake and tools/list are answered before the rest of the CLI loads; everything else goes through main.js.
import module from 'node:module';

// Node 22.1+ keeps compiled code between runs (a no-op on Node 20).
module.enableCompileCache?.();
const args = process.argv.slice(2);
// `__approval-relay` is the MCP server a dispatched Claude Code run starts to ask for approvals: it must start fast too.
const entry = args.length === 1 && args[0] === 'serve' ? 'serve-main' : args.length === 1 && args[0] === '__approval-relay' ? 'approval-relay-main' : 'main';
await import(`../dist/cli/${entry}.js`);
