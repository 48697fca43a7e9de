// `agent-dispatch serve` start-up, measured through a real MCP client over stdio (the SDK's, as Claude Code does
// it): spawn → initialize → tools/list answered, median of 10, side by side with a bare `node -e 0` started the
// same way in the same run (target: within 100 ms of it); then the first tool call, which loads the rest. Then the
// server's RSS after tools/list and after that call, and the size of the tools/list answer. Claude Code starts every registered MCP server at the start of every session, including
// each `claude -p` a dispatch runs, so this is paid often.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

const BIN = join(import.meta.dirname, '..', 'bin', 'agent-dispatch.js');
const RUNS = 10;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const ms = (x) => `${x.toFixed(1).padStart(6)} ms`;

const root = mkdtempSync(join(tmpdir(), 'ad-bench-serve-'));
const home = join(root, 'home');
mkdirSync(home);
for (const name of ['alpha', 'beta']) mkdirSync(join(root, name));
writeFileSync(join(root, 'agents.yaml'), `agents:\n  alpha:\n    directory: ${root}/alpha\n    description: first\n  beta:\n    directory: ${root}/beta\n    description: second\n`);
const env = { PATH: process.env.PATH ?? '', HOME: home, AGENT_DISPATCH_CONFIG: join(root, 'agents.yaml'), AGENT_DISPATCH_STATE_DIR: join(root, 'state') };

// Bare node: spawn to exit, stdio piped like the server's.
function bareNode() {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['-e', '0'], { stdio: ['pipe', 'pipe', 'pipe'], shell: false, env });
    child.on('error', reject);
    child.on('close', () => resolve(performance.now() - t0));
  });
}

// The server: spawn, initialize, tools/list. `elapsed` ends when the tools/list answer reaches the client's transport
// (what the server costs); `listed` when the SDK client is done with it (it also compiles an output-schema
// validator per tool, which is client work). With `inspect`, also the RSS and the answer's size.
async function server({ inspect = false } = {}) {
  const t0 = performance.now();
  const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, 'serve'], env, stderr: 'ignore' });
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(transport);
  let answered = 0;
  const deliver = transport.onmessage;
  transport.onmessage = (message, extra) => {
    if (message.result?.tools) answered = performance.now();
    deliver?.(message, extra);
  };
  const tools = await client.listTools();
  const listed = performance.now() - t0;
  const kb = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${transport.pid}/status`, 'utf8'))?.[1] ?? NaN);
  let extra = {};
  if (inspect) extra = { rssKb: kb('VmRSS'), bytes: Buffer.byteLength(JSON.stringify(tools)), count: tools.tools.length };
  // The first tool call loads the MCP server and the services (config, SQLite, runner).
  const call = await client.callTool({ name: 'list_agents', arguments: {} });
  if (call.isError) throw new Error(`list_agents failed: ${JSON.stringify(call.content)}`);
  const firstCall = performance.now() - t0;
  if (inspect) extra = { ...extra, workingRssKb: kb('VmRSS'), hwmKb: kb('VmHWM') };
  await client.close();
  return { elapsed: answered - t0, listed, firstCall, ...extra };
}

try {
  await bareNode();
  await server(); // warm the page cache and create the state dir; not counted
  const bare = [];
  const ours = [];
  const listed = [];
  const firstCalls = [];
  for (let i = 0; i < RUNS; i += 1) {
    // Alternate, so machine noise hits both sides alike.
    bare.push(await bareNode());
    const run = await server();
    ours.push(run.elapsed);
    listed.push(run.listed);
    firstCalls.push(run.firstCall);
  }
  const [b, s] = [median(bare), median(ours)];
  console.log(`cold start, median of ${RUNS} (spawn → answer):`);
  console.log(`  node -e 0 (spawn → exit)                 ${ms(b)}   min ${ms(Math.min(...bare))}`);
  console.log(`  agent-dispatch serve → tools/list answer ${ms(s)}   min ${ms(Math.min(...ours))}`);
  console.log(`  difference ${ms(s - b)} (target ≤ 100 ms)   ratio ${(s / b).toFixed(2)}x   ${s - b <= 100 ? 'OK' : 'OVER TARGET'}`);
  console.log(`  (the SDK client is done with the list at ${ms(median(listed)).trim()}: it compiles a validator per output schema)`);
  console.log(`  first tool call (list_agents) answered ${ms(median(firstCalls))} after spawn: it loads the MCP server and the services`);
  const runs = [];
  for (let i = 0; i < 3; i += 1) runs.push(await server({ inspect: true }));
  const mb = (key) => (median(runs.map((r) => r[key])) / 1024).toFixed(1);
  const last = runs.at(-1);
  console.log(`RSS after tools/list: ${mb('rssKb')} MB; after the first tool call: ${mb('workingRssKb')} MB (medians of 3; peak ${mb('hwmKb')} MB)`);
  console.log(`tools/list answer: ${last.count} tools, ${last.bytes} bytes (target < 12000)`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
