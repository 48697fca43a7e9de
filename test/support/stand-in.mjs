// Runs the stand-in model as its own process (for manual runs and anything that cannot import TypeScript):
//   node test/support/stand-in.mjs [--port N] [--script script.json] [--log requests.jsonl]
// First stdout line: {"url":"http://127.0.0.1:PORT"}. Serves until SIGINT or SIGTERM. See README.md for the JSON.
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { importTs } from './load-ts.mjs';

let args;
try {
  args = parseArgs({ options: { port: { type: 'string' }, script: { type: 'string' }, log: { type: 'string' } } }).values;
} catch (error) {
  console.error(`stand-in: ${error.message}\nusage: node test/support/stand-in.mjs [--port N] [--script script.json] [--log requests.jsonl]`);
  process.exit(2);
}
const { startFakeModel, scriptFromJson } = await importTs(join(import.meta.dirname, 'fake-anthropic.ts'));

let script = {};
try {
  if (args.script) script = scriptFromJson(JSON.parse(readFileSync(args.script, 'utf8')));
} catch (error) {
  console.error(`stand-in: cannot use --script ${args.script}: ${error.message}`);
  process.exit(2);
}
const port = args.port === undefined ? 0 : Number(args.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`stand-in: --port must be an integer 0..65535, got ${args.port}`);
  process.exit(2);
}

const model = await startFakeModel({
  ...script,
  port,
  onRequest(r) {
    if (!args.log) return;
    const line = { seq: r.seq, at: new Date(r.receivedAt).toISOString(), method: r.method, path: r.path, stream: r.stream, model: r.model, prompt: r.prompt.slice(0, 200), turnIndex: r.turnIndex, toolResults: r.toolResults };
    appendFileSync(args.log, `${JSON.stringify(line)}\n`);
  },
});
console.log(JSON.stringify({ url: model.url }));
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => void model.close().then(() => process.exit(0)));
