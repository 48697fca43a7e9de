// dispatch_async → dispatch_wait on an instant job (the claude-tiny.sh fixture), through the service the MCP tools
// use, built by the CLI's composition root (src/cli/services.ts). Two ways of running the job, alternated in
// the same run so machine noise hits both alike:
//   per-job   AGENT_DISPATCH_WORKER=0: one detached `agent-dispatch __job-runner` node process per job (the old path);
//   worker    the local worker (src/jobs/worker/): start() hands the job over its Unix socket, wait() is woken by
//             the worker's push. Its first job starts the worker and is reported apart.
// Each figure is the median (and p95) over RUNS jobs, beside what the fixture itself costs (runner.run() alone in
// this process); target for the worker: ≤ 20 ms.
// Run `npm run build` first; `node bench/async-wait.mjs [runs]`.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importTs } from '../test/support/load-ts.mjs';

const ROOT = join(import.meta.dirname, '..');
const FIXTURE = join(ROOT, 'test', 'fixtures', 'bin', 'claude-tiny.sh');
const CLI = join(ROOT, 'bin', 'agent-dispatch.js');
const RUNS = Number(process.argv[2] ?? 20);

const { createServices } = await importTs(join(ROOT, 'src', 'cli', 'services.ts'));
const { createLogger } = await importTs(join(ROOT, 'src', 'shared', 'log.ts'));
const { createRunner } = await importTs(join(ROOT, 'src', 'runner', 'index.ts'));

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { median: at(0.5), p95: at(0.95) };
}
const ms = (v) => `${v.toFixed(1)} ms`.padStart(9);
const row = (name, s, note = '') => console.log(`${name.padEnd(44)} median ${ms(s.median)}  p95 ${ms(s.p95)}${note}`);

const dir = mkdtempSync(join(tmpdir(), 'ad-bench-wait-'));
const services = [];
try {
  const project = join(dir, 'api');
  mkdirSync(project);
  writeFileSync(join(dir, 'agents.yaml'), JSON.stringify({ agents: { api: { directory: project } }, settings: { max_concurrency: 5, cache: { enabled: false } } }));
  const base = { PATH: process.env.PATH, HOME: join(dir, 'home'), AGENT_DISPATCH_CONFIG: join(dir, 'agents.yaml'), AGENT_DISPATCH_STATE_DIR: join(dir, 'state'), AGENT_DISPATCH_CLAUDE_BIN: FIXTURE, AGENT_DISPATCH_WORKER_IDLE_SECONDS: '30' };
  const build = (env) => {
    const s = createServices({ env, cwd: dir, stdout: process.stdout, stderr: process.stderr, selfCommand: [process.execPath, CLI] }, { logger: createLogger({ level: 'error', write: () => {} }) });
    services.push(s);
    return s.dispatcher;
  };
  const perJob = build({ ...base, AGENT_DISPATCH_WORKER: '0' });
  const startA = [];
  const startB = [];
  const worker = build(base);
  // CPU per job, less noisy than wall time on a shared machine: this process and the children it reaped (the
  // per-job supervisors and their agents), plus the worker and the agents it reaped.
  const cpu = { perJob: 0, worker: 0 };
  let workerPid;
  const ticks = (pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * 10; // utime stime cutime cstime, 100 Hz
    } catch {
      return 0;
    }
  };
  const once = async (dispatcher, i) => {
    const before = ticks(process.pid) + (workerPid ? ticks(workerPid) : 0);
    const t = performance.now();
    const job = await dispatcher.start({ agent: 'api', task: `instant ${i}` });
    (dispatcher === perJob ? startA : startB).push(performance.now() - t);
    const { job: done } = await dispatcher.wait(job.id, 30_000);
    if (done.status !== 'done') throw new Error(`job ended ${done.status}: ${done.failureReason ?? JSON.stringify(done.result?.error)}`);
    const elapsed = performance.now() - t;
    // A per-job supervisor is still closing its store when the wait returns: let it go (and be reaped) before the
    // next figure, so its exit does not load the machine during the other path's run, and its CPU is counted.
    for (let i = 0; i < 300 && dispatcher === perJob && alive(done.ownerPid); i++) await new Promise((r) => setTimeout(r, 10));
    if (dispatcher === worker) workerPid ??= done.ownerPid;
    cpu[dispatcher === perJob ? 'perJob' : 'worker'] += ticks(process.pid) + (workerPid ? ticks(workerPid) : 0) - before;
    return elapsed;
  };
  const runner = createRunner({ binaries: { claude: FIXTURE }, env: base });
  const agent = { name: 'api', directory: project, description: '', runtime: 'claude', timeout: 60 };
  let aloneCpu = 0;
  const alone = async () => {
    const before = ticks(process.pid);
    const t = performance.now();
    await runner.run({ agent, task: 'hi' });
    const elapsed = performance.now() - t;
    aloneCpu += ticks(process.pid) - before;
    return elapsed;
  };
  const first = await once(worker, -1); // starts the worker
  await once(perJob, -2);
  cpu.perJob = 0;
  cpu.worker = 0;
  const a = [];
  const b = [];
  const c = [];
  for (let i = 0; i < RUNS; i++) {
    c.push(await alone());
    if (i % 2 === 0) {
      a.push(await once(perJob, i));
      b.push(await once(worker, i));
    } else {
      b.push(await once(worker, i));
      a.push(await once(perJob, i));
    }
  }
  const old = stats(a);
  const now = stats(b);
  console.log(`dispatch_async → dispatch_wait on an instant job (claude-tiny.sh), ${RUNS} runs each, alternated (noisy shared machine)`);
  row('the agent alone: runner.run() of the fixture', stats(c));
  row('baseline: per-job __job-runner process', old);
  row('local worker (socket hand-over + push)', now, `  (${(old.median / now.median).toFixed(1)}x faster, +${(now.median - stats(c).median).toFixed(1)} ms over the agent alone; target ≤ 20 ms)`);
  row('  of which start() (dispatch_async returns)', stats(startB.slice(-RUNS)), `  (per-job: ${stats(startA.slice(-RUNS)).median.toFixed(1)} ms)`);
  row('local worker, first job (starts the worker)', { median: first, p95: first });
  console.log(`CPU per job (all processes involved, 10 ms ticks): per-job supervisor ${(cpu.perJob / RUNS).toFixed(0)} ms, local worker ${(cpu.worker / RUNS).toFixed(0)} ms; the agent alone ${(aloneCpu / RUNS).toFixed(0)} ms`);
} finally {
  for (const s of services) s.close();
  // The worker notices its socket is gone (state dir removed) and exits within a second.
  rmSync(dir, { recursive: true, force: true });
}
