// dispatch_async then dispatch_wait on an instant job (the claude-tiny.sh fixture), through the dispatch service
// (issue 7, target ≤ 20 ms in the same process). Three figures, each the median and p95 of its runs:
//   baseline   runner.run() of the same fixture alone (what the agent itself costs), measured in the same run;
//   in process start() + wait() with the supervisor's entry (runJob) called in this process;
//   detached   start() + wait() with the real supervisor (`agent-dispatch __job-runner`), split into its start
//              (spawn → job running), the run (running → done) and the wait's wake-up (done → wait returns).
// Run `npm run build` first; `node bench/jobs-async.mjs`.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRunner, spawnDetached } from '../dist/index.js';
import { importTs } from '../test/support/load-ts.mjs';

const ROOT = join(import.meta.dirname, '..');
const FIXTURE = join(ROOT, 'test', 'fixtures', 'bin', 'claude-tiny.sh');
const CLI = join(ROOT, 'bin', 'agent-dispatch.js');
const IN_PROCESS_RUNS = 50;
const DETACHED_RUNS = 12;
const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const clock = () => performance.timeOrigin + performance.now();

const { createDispatchService } = await importTs(join(ROOT, 'src', 'jobs', 'service.ts'));
const { configSchema } = await importTs(join(ROOT, 'src', 'config', 'schema.ts'));
const { createJobStore } = await import('../dist/index.js');

function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { median: at(0.5), p95: at(0.95) };
}
const ms = (v) => `${v.toFixed(1)} ms`.padStart(9);
const row = (name, s, note = '') => console.log(`${name.padEnd(48)} median ${ms(s.median)}  p95 ${ms(s.p95)}${note}`);

const dir = mkdtempSync(join(tmpdir(), 'ad-bench-async-'));
try {
  const project = join(dir, 'api');
  mkdirSync(project);
  const raw = { agents: { api: { directory: project } }, settings: { max_concurrency: 5, cache: { enabled: false } } };
  writeFileSync(join(dir, 'agents.yaml'), JSON.stringify(raw));
  const config = configSchema.parse(raw);
  const env = { ...process.env, AGENT_DISPATCH_CONFIG: join(dir, 'agents.yaml'), AGENT_DISPATCH_STATE_DIR: join(dir, 'state'), AGENT_DISPATCH_CLAUDE_BIN: FIXTURE };
  const store = createJobStore({ path: join(dir, 'state', 'jobs.db'), logger: quiet });
  const runner = createRunner({ binaries: { claude: FIXTURE }, env });
  let service;
  const inProcess = createDispatchService({
    config: () => config,
    runner: () => runner,
    store,
    logger: quiet,
    // The supervisor's entry, called here: what remains is the service, the store and the agent.
    startSupervisor: (id) => (setImmediate(() => void service.runJob(id)), process.pid),
  });
  service = inProcess;
  const agent = { name: 'api', directory: project, description: '', runtime: 'claude', timeout: 60 };

  const baseline = [];
  const local = [];
  const localWake = [];
  for (let i = 0; i < IN_PROCESS_RUNS + 5; i++) {
    let t = performance.now();
    await runner.run({ agent, task: 'hi' });
    const base = performance.now() - t;
    t = performance.now();
    const job = await inProcess.start({ agent: 'api', task: `instant ${i}` });
    const { job: done } = await inProcess.wait(job.id, 10_000);
    const total = performance.now() - t;
    const woke = clock() - done.endedAt;
    if (done.status !== 'done') throw new Error(`in-process job ended ${done.status}: ${done.failureReason ?? JSON.stringify(done.result?.error)}`);
    if (i < 5) continue; // warm-up
    baseline.push(base);
    local.push(total);
    localWake.push(woke);
  }

  const detachedService = createDispatchService({
    config: () => config,
    runner: () => runner,
    store,
    logger: quiet,
    startSupervisor: (id) => spawnDetached(process.execPath, [CLI, '__job-runner', id], { env }),
  });
  const detached = [];
  const supervisorStart = [];
  const run = [];
  const wake = [];
  for (let i = 0; i < DETACHED_RUNS; i++) {
    const spawnedAt = clock();
    const t = performance.now();
    const job = await detachedService.start({ agent: 'api', task: `detached ${i}` });
    const { job: done } = await detachedService.wait(job.id, 30_000);
    detached.push(performance.now() - t);
    if (done.status !== 'done') throw new Error(`detached job ended ${done.status}: ${done.failureReason ?? JSON.stringify(done.result?.error)}`);
    supervisorStart.push(done.startedAt - spawnedAt);
    run.push(done.endedAt - done.startedAt);
    wake.push(clock() - done.endedAt);
  }

  const b = stats(baseline);
  const l = stats(local);
  console.log(`dispatch_async + dispatch_wait on an instant job (claude-tiny.sh), ${IN_PROCESS_RUNS} in-process and ${DETACHED_RUNS} detached runs`);
  row('baseline: runner.run() of the fixture alone', b);
  row('in process: start() → wait() returns', l, `  (+${(l.median - b.median).toFixed(1)} ms over baseline; target ≤ 20 ms)`);
  row('  of which wait wake-up after the job ended', stats(localWake));
  row('detached supervisor: start() → wait() returns', stats(detached));
  row('  supervisor start (spawn → job running)', stats(supervisorStart));
  row('  run (running → done)', stats(run));
  row('  wait wake-up across processes (done → returns)', stats(wake));
  store.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
