#!/usr/bin/env node
// Runs a stdio MCP server (argv after this script) and appends every line its client sends to $WIRE_LOG, so a test
// can see what a real client (Claude Code) says on the wire. Passes stdout through untouched; ends with the child.
import { spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';

const [command, ...args] = process.argv.slice(2);
const child = spawn(command, args, { stdio: ['pipe', 'inherit', 'inherit'], shell: false });
let buffer = '';
process.stdin.on('data', (chunk) => {
  buffer += chunk.toString('utf8');
  const lines = buffer.split('\n');
  buffer = lines.pop() ?? '';
  for (const line of lines) if (line.trim() && process.env.WIRE_LOG) appendFileSync(process.env.WIRE_LOG, `${line}\n`);
  child.stdin.write(chunk);
});
process.stdin.on('end', () => child.stdin.end());
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
