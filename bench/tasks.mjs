// Dispatches as MCP Tasks (issue 16): how fast `agent-dispatch serve` answers a 2026-07-28 tools/call that declares
// io.modelcontextprotocol/tasks (target ≤ 20 ms: the job and its task link written, the supervisor spawned), and
// tasks/get on a store of 10,000 jobs (target ≤ 2 ms). Both are round trips over stdio from a raw client, printed
// beside round trips of `ping` and `tools/list` to the same server in the same run (the transport's own cost).
// The agent is the sleeping fixture CLI (50 ms), so the supervisors the calls start end quickly.
// Run `npm run build` first; `node bench/tasks.mjs`.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createJobStore } from '../dist/index.js';
import { importTs } from '../test/support/load-ts.mjs';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'agent-dispatch.js');
const JOBS = 10_000;
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { median: at(0.5), p95: at(0.95), n: sorted.length };
}
const show = (label, s, note = '') => console.log(`${label.padEnd(44)} median ${s.median.toFixed(2).padStart(7)} ms   p95 ${s.p95.toFixed(2).padStart(7)} ms   (n=${s.n})${note}`);

const root = mkdtempSync(join(tmpdir(), 'ad-bench-tasks-'));
const stateDir = join(root, 'state');
mkdirSync(join(root, 'home'));
mkdirSync(join(root, 'alpha'));
writeFileSync(join(root, 'agents.yaml'), `agents:\n  alpha:\n    directory: ${root}/alpha\n    description: bench agent\n`);
const env = {
  PATH: process.env.PATH ?? '',
  HOME: join(root, 'home'),
  AGENT_DISPATCH_CONFIG: join(root, 'agents.yaml'),
  AGENT_DISPATCH_STATE_DIR: stateDir,
  AGENT_DISPATCH_CLAUDE_BIN: join(ROOT, 'test', 'fixtures', 'bin', 'claude-sleep.mjs'),
  FIXTURE_SLEEP_MS: '50',
};

// 10,000 finished task jobs (with results), as a long-used store holds them.
const fillStart = performance.now();
const store = createJobStore({ path: join(stateDir, 'jobs.db'), logger: quiet });
const result = { ok: true, agent: 'alpha', runtime: 'claude', text: 'x'.repeat(2000), costUsd: 0.01, usage: { inputTokens: 10, outputTokens: 5, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 }, numTurns: 2, durationMs: 900, permissionDenials: [], exitCode: 0, signal: null, stderrTail: '' };
const ids = [];
for (let i = 0; i < JOBS; i++) {
  const job = store.create({ kind: 'async', request: { agent: 'alpha', task: `job ${i}` }, task: { tool: 'dispatch', shape: {} } });
  store.finish(job.id, { status: 'done', result });
  ids.push(job.id);
}
console.log(`filled ${JOBS} task jobs in ${((performance.now() - fillStart) / 1000).toFixed(1)} s`);

// In process, CPU time per call (less at the mercy of a loaded machine than wall time): the task store's get
// (link + job read, the mapping, the answer built) beside the plain job read it contains.
const { createTaskStore } = await importTs(join(ROOT, 'src', 'server', 'tasks', 'task-store.ts'));
const dispatcher = { taskLink: (id) => store.taskLink(id), status: (id) => store.get(id), retentionDays: () => 30 };
const tasks = createTaskStore({ dispatcher, view: () => ({}), logger: quiet });
function cpuPerCall(runs, fn) {
  for (let i = 0; i < 200; i++) fn(i);
  const before = process.cpuUsage();
  for (let i = 0; i < runs; i++) fn(i);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / runs;
}
const baselineCpu = cpuPerCall(5000, (i) => store.get(ids[(i * 37) % JOBS]));
const getCpu = cpuPerCall(5000, (i) => tasks.get(ids[(i * 37) % JOBS]));
console.log(`in process, CPU per call: store.get (baseline) ${baselineCpu.toFixed(3)} ms; task store get ${getCpu.toFixed(3)} ms (target ≤ 2 ms)`);
store.close();

// A raw 2026-07-28 client on the server's stdio.
const child = spawn(process.execPath, [BIN, 'serve'], { env, stdio: ['pipe', 'pipe', 'ignore'] });
const waiting = new Map();
let buffer = '';
let next = 1;
child.stdout.setEncoding('utf8').on('data', (chunk) => {
  buffer += chunk;
  let nl;
  while ((nl = buffer.indexOf('\n')) >= 0) {
    const message = JSON.parse(buffer.slice(0, nl));
    buffer = buffer.slice(nl + 1);
    waiting.get(message.id)?.(message);
    waiting.delete(message.id);
  }
});
const META = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientInfo': { name: 'bench', version: '1' },
  'io.modelcontextprotocol/clientCapabilities': { extensions: { 'io.modelcontextprotocol/tasks': {} } },
};
function request(method, params = {}) {
  const id = next++;
  return new Promise((resolve) => {
    waiting.set(id, resolve);
    child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params: { ...params, _meta: { ...params._meta, ...META } } })}\n`);
  });
}
async function timed(runs, fn) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn(i);
    samples.push(performance.now() - t);
  }
  return stats(samples);
}

try {
  await request('server/discover');
  await request('tools/list');
  const warm = await request('tools/call', { name: 'list_agents', arguments: {} }); // loads the services
  if (warm.error || warm.result?.isError) throw new Error(`list_agents failed: ${JSON.stringify(warm)}`);
  await timed(50, () => request('tasks/get', { taskId: ids[0] }));

  console.log('\nround trips over stdio, same server, same run (machine shared and loaded: figures are noisy)');
  show('baseline: ping', await timed(200, () => request('ping')));
  show('baseline: tools/list', await timed(200, () => request('tools/list')));
  const got = await request('tasks/get', { taskId: ids[JOBS / 2] });
  if (got.result?.status !== 'completed') throw new Error(`tasks/get answered ${JSON.stringify(got).slice(0, 300)}`);
  show(`tasks/get, completed, store of ${JOBS} jobs`, await timed(200, (i) => request('tasks/get', { taskId: ids[(i * 37) % JOBS] })), '   target ≤ 2 ms');
  show('tasks/get, unknown id', await timed(200, () => request('tasks/get', { taskId: 'ab'.repeat(16) })));

  // Each call starts a supervisor process (and it an agent): wait for that task to end before the next call, so
  // they do not pile up on the CPU the next call is timed on.
  const waitDone = async (taskId) => {
    for (let tries = 0; tries < 300; tries++) {
      const { result: task } = await request('tasks/get', { taskId });
      if (task.status !== 'working') return task.status;
      await new Promise((r) => setTimeout(r, 100));
    }
    return 'still working';
  };
  const samples = [];
  for (let i = 0; i < 15; i++) {
    const t = performance.now();
    const answer = await request('tools/call', { name: 'dispatch_session', arguments: { agent: 'alpha', task: `bench ${i}` }, _meta: { progressToken: i } });
    samples.push(performance.now() - t);
    if (answer.result?.resultType !== 'task') throw new Error(`no task answer: ${JSON.stringify(answer).slice(0, 300)}`);
    const end = await waitDone(answer.result.taskId);
    if (end !== 'completed') throw new Error(`task ${answer.result.taskId} ended ${end}`);
  }
  show('tools/call → task answer', stats(samples), '   target ≤ 20 ms');
} finally {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('close', r));
  rmSync(root, { recursive: true, force: true });
}
