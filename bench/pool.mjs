// The worker pool on Redis (issue 15), each figure beside a baseline measured in the same run:
//   overhead per dispatch   pool dispatch() of an instant job (claude-tiny.sh on a worker process) vs the local
//                           dispatch service running the same fixture in this process (paired, alternating);
//   event latency           the sleeper fixture's wall-clock start → its init event reaching the caller, pool vs local;
//   10,000 jobs             enqueue (start() ×10,000, 500 at a time) and list a page of 50 / 1000, vs the SQLite store;
//   failover                SIGKILL of the worker mid-job → the caller sees the job failed, vs the configured bound.
// With the overhead: Redis commands per pool dispatch (INFO, every client, scripts' inner commands included) and, from
// MONITOR over 15 more dispatches, the commands each client sent; BENCH_POOL_TRACE=1 adds each step's median time
// (record, add, wake-up, slot, fetch, record read, first event, close), =all every command of one dispatch.
// BENCH_POOL_OVERHEAD_ONLY=1 stops after that (and lists INFO commandstats per dispatch).
// Needs /usr/bin/redis-server and a build (`npm run build`); `node bench/pool.mjs`. Loaded machines give noisy times.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRunner } from '../dist/index.js';
import { importTs } from '../test/support/load-ts.mjs';
import { measurePaired, percentile } from './lib/paired.mjs';

const ROOT = join(import.meta.dirname, '..');
const CLI = join(ROOT, 'bin', 'agent-dispatch.js');
const TINY = join(ROOT, 'test', 'fixtures', 'bin', 'claude-tiny.sh');
const SLEEPER = join(ROOT, 'test', 'fixtures', 'bin', 'claude-sleep.mjs');
const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const clock = () => performance.timeOrigin + performance.now();
const ms = (v) => `${v.toFixed(1)} ms`;

// The tests' redis-server: a free loopback port, a password, AOF on, noeviction.
const { HAVE_REDIS, startRedis } = await importTs(join(ROOT, 'test', 'pool', 'support.ts'));
if (!HAVE_REDIS) {
  console.log('pool: skipped (no /usr/bin/redis-server)');
  process.exit(0);
}

const { createPoolDispatcher } = await importTs(join(ROOT, 'src', 'pool', 'dispatcher.ts'));
const { announce } = await importTs(join(ROOT, 'src', 'pool', 'registry.ts'));
const { openRedis } = await importTs(join(ROOT, 'src', 'pool', 'connect.ts'));
const { parseQueueUrl } = await importTs(join(ROOT, 'src', 'shared', 'queue-url.ts'));
const { createDispatchService } = await importTs(join(ROOT, 'src', 'jobs', 'service.ts'));
const { configSchema } = await importTs(join(ROOT, 'src', 'config', 'schema.ts'));
const { createJobStore } = await import('../dist/index.js');

const dir = mkdtempSync(join(tmpdir(), 'ad-bench-pool-'));
const children = [];
const redisServer = await startRedis();
try {
  const url = redisServer.url;

  // A "host": agents.yaml with `api` (instant fixture) and `slow` (sleeper), one worker process.
  const startWorker = (name, agents, extraEnv, nodeArgs = []) => {
    const root = join(dir, name);
    mkdirSync(join(root, 'home'), { recursive: true });
    const entries = Object.fromEntries(agents.map((a) => (mkdirSync(join(root, a), { recursive: true }), [a, { directory: join(root, a) }])));
    writeFileSync(join(root, 'agents.yaml'), JSON.stringify({ agents: entries, settings: { queue: url, pool_failover_seconds: 6, max_concurrency: 4 } }));
    const child = spawn(process.execPath, [...nodeArgs, CLI, 'worker', '--json'], {
      env: { PATH: process.env.PATH, HOME: join(root, 'home'), AGENT_DISPATCH_CONFIG: join(root, 'agents.yaml'), AGENT_DISPATCH_STATE_DIR: join(root, 'state'), AGENT_DISPATCH_HOST: name, ...extraEnv },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    return new Promise((resolve) => child.stdout.on('data', (d) => String(d).includes('"serving"') && resolve(child)));
  };
  const log = join(dir, 'sleep.log');
  // BENCH_POOL_PROFILE=<dir>: the api worker writes a V8 CPU profile there when it stops.
  const profile = process.env.BENCH_POOL_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_POOL_PROFILE}`] : [];
  const apiWorker = await startWorker('bench-a', ['api'], { AGENT_DISPATCH_CLAUDE_BIN: TINY }, profile);
  const slowWorker = await startWorker('bench-b', ['slow', 'events'], { AGENT_DISPATCH_CLAUDE_BIN: SLEEPER, FIXTURE_LOG: log, FIXTURE_SLEEP_MS: '60000' });

  const poolConfig = configSchema.parse({ settings: { queue: url, pool_failover_seconds: 6 } });
  const pool = await createPoolDispatcher({ endpoint: parseQueueUrl(url), config: () => poolConfig });

  // Local mode: the same fixtures through the dispatch service and a SQLite store in this process.
  const project = join(dir, 'local');
  mkdirSync(project);
  const localConfig = configSchema.parse({ agents: { api: { directory: project }, events: { directory: project } }, settings: { cache: { enabled: false } } });
  const store = createJobStore({ path: join(dir, 'local-state', 'jobs.db'), logger: quiet });
  const runners = { api: createRunner({ binaries: { claude: TINY }, env: process.env }), events: createRunner({ binaries: { claude: SLEEPER }, env: { ...process.env, FIXTURE_LOG: log, FIXTURE_SLEEP_MS: '10' } }) };
  // The service keeps one runner per limits: route by agent inside it.
  const local = createDispatchService({ config: () => localConfig, runner: () => ({ run: (request, options) => runners[request.agent.name].run(request, options) }), store, logger: quiet, sweepIntervalMs: 0 });

  // 1. Overhead per dispatch.
  const timed = (fn) => async () => {
    const t = performance.now();
    const out = await fn();
    if (!out.result.ok) throw new Error(`run failed: ${out.result.error?.message}`);
    return performance.now() - t;
  };
  const admin0 = await openRedis(parseQueueUrl(url));
  const commands = async () => Number(/total_commands_processed:(\d+)/.exec(await admin0.info('stats'))[1]);
  // CPU of the worker process itself (utime + stime in /proc, clock ticks of 10 ms; its agents not included).
  const workerCpuMs = () => readFileSync(`/proc/${apiWorker.pid}/stat`, 'utf8').split(') ')[1].split(' ').slice(11, 13).reduce((a, b) => a + Number(b) * 10, 0);
  const stats = async () => Object.fromEntries([...(await admin0.info('commandstats')).matchAll(/cmdstat_([\w|]+):calls=(\d+)/g)].map((m) => [m[1], Number(m[2])]));
  const statsBefore = await stats();
  const before = await commands();
  const cpuBefore = workerCpuMs();
  const callerCpu = process.cpuUsage();
  const paired = await measurePaired(timed(() => local.dispatch({ agent: 'api', task: 'hi' })), timed(() => pool.dispatch({ agent: 'api', task: 'hi' })), { runs: RUNS, warmup: 3 });
  console.log(`dispatch, instant job      local median ${ms(percentile(paired.raw, 0.5))}   pool median ${ms(percentile(paired.ours, 0.5))}   pool overhead (paired median) ${ms(paired.paired)}  (target ≤ 5 ms)`);
  // Every Redis command the server ran during those dispatches (caller and worker; heartbeats and idle polls included).
  const perDispatch = ((await commands()) - before - 1) / (RUNS + 3);
  const workerCpu = (workerCpuMs() - cpuBefore) / (RUNS + 3);
  const callerUsed = process.cpuUsage(callerCpu);
  console.log(`per pool dispatch: Redis commands ${perDispatch.toFixed(1)} (INFO: every client and script, heartbeats/polls included)   worker CPU ${ms(workerCpu)}   (bench process CPU, local + pool runs: ${ms((callerUsed.user + callerUsed.system) / 1000 / (RUNS + 3))})`);
  if (process.env.BENCH_POOL_OVERHEAD_ONLY) {
    const after = await stats();
    console.log(Object.entries(after).map(([k, v]) => [k, (v - (statsBefore[k] ?? 0)) / (RUNS + 3)]).filter(([, v]) => v >= 0.5).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', '));
  }
  {
    // 15 more pool dispatches as Redis saw them (MONITOR): the commands each client sent (a script's inner commands
    // marked lua); with BENCH_POOL_TRACE, each step's median time after the caller's first write (=all: and every
    // command of the last one).
    const names = new Map((await admin0.client('LIST')).split('\n').filter(Boolean).map((l) => [/addr=(\S+)/.exec(l)[1], `${/name=(\S*)/.exec(l)[1] || 'bullmq' + /id=(\d+)/.exec(l)[1]}`]));
    const monitor = await admin0.monitor();
    let seen = [];
    monitor.on('monitor', (time, args, source) => seen.push({ time: Number(time) * 1000, args, who: source === 'lua' ? '  lua' : (names.get(source) ?? source) }));
    const steps = [
      ['record', (c) => c.who === 'ad-caller' && c.args[0] === 'multi'],
      ['add', (c) => c.who === 'ad-caller' && c.args[0] === 'evalsha'],
      ['wake', (c) => c.who === 'ad-caller' && (c.args[0] === 'publish' || (c.args[0] === 'eval' && c.args[1].includes('PUBLISH')))],
      ['slot', (c) => c.who === 'ad-worker' && c.args[0] === 'eval' && c.args[1].includes('ZCARD')],
      ['fetch', (c) => c.who.startsWith('bullmq') && c.args[0] === 'evalsha'],
      ['check', (c) => c.who === 'ad-worker' && c.args[0] === 'hgetall' && c.args[1].startsWith('ad:job:')],
      ['init event', (c) => c.who === 'ad-worker' && c.args[0] === 'publish'],
      ['close', (c) => c.who === 'ad-worker' && c.args[0] === 'eval' && c.args[1].includes('HGET')],
    ];
    const at = steps.map(() => []);
    const took = [];
    const sent = {};
    let last = [];
    const traced = 15;
    await new Promise((r) => setTimeout(r, 20));
    for (let i = 0; i < traced; i++) {
      seen = [];
      const t0 = performance.now();
      await pool.dispatch({ agent: 'api', task: 'hi' });
      took.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 20));
      for (const c of seen) sent[c.who.startsWith('bullmq') ? "worker's BullMQ" : c.who.trim()] = (sent[c.who.startsWith('bullmq') ? "worker's BullMQ" : c.who.trim()] ?? 0) + 1;
      const from = seen.findIndex(steps[0][1]);
      if (from < 0) continue;
      steps.forEach(([, match], s) => {
        const j = seen.findIndex((c, n) => n >= from && match(c));
        if (j >= 0) at[s].push(seen[j].time - seen[from].time);
      });
      last = seen.slice(from);
    }
    monitor.disconnect();
    const { lua = 0, ...clients } = sent;
    const byClient = Object.entries(clients).sort((a, b) => b[1] - a[1]);
    console.log(`per pool dispatch (MONITOR, ${traced} more): commands sent ${(byClient.reduce((n, [, v]) => n + v, 0) / traced).toFixed(1)} (${byClient.map(([k, v]) => `${k} ${(v / traced).toFixed(1)}`).join(', ')}), run inside scripts ${(lua / traced).toFixed(1)}`);
    if (process.env.BENCH_POOL_TRACE) console.log(`traced: dispatch median ${ms(percentile(took, 0.5))}; each step's median time after the record's write: ${steps.map(([name], s) => `${name} ${at[s].length ? percentile(at[s], 0.5).toFixed(2) : '-'}`).join(', ')}`);
    if (process.env.BENCH_POOL_TRACE === 'all') for (const c of last) console.log(`${(c.time - last[0].time).toFixed(2).padStart(8)}  ${c.who.padEnd(14)} ${c.args.slice(0, 3).join(' ').slice(0, 90)}`);
  }
  admin0.disconnect();
  if (process.env.BENCH_POOL_PROFILE) {
    apiWorker.kill('SIGTERM');
    await new Promise((resolve) => apiWorker.once('exit', resolve));
  }
  if (process.env.BENCH_POOL_OVERHEAD_ONLY) await Promise.all([pool.close(), store.close()]);
  if (process.env.BENCH_POOL_OVERHEAD_ONLY) throw Object.assign(new Error('done'), { done: true });

  // 2. Event latency: fixture start (its own wall clock) → the init event at the caller.
  const eventLatency = async (dispatch) => {
    const seen = [];
    for (let i = 0; i < 10; i++) {
      let at;
      const before = existsSync(log) ? readFileSync(log, 'utf8').split('\n').length : 0;
      await dispatch((event) => event.type === 'init' && at === undefined && (at = clock()));
      const line = readFileSync(log, 'utf8').split('\n').slice(before - 1).find((l) => l.startsWith('start'));
      if (line && at) seen.push(at - Number(line.split(' ')[2]));
    }
    return seen;
  };
  const localEvents = await eventLatency((onEvent) => local.dispatch({ agent: 'events', task: 'e' }, { onEvent }));
  // The pool's `events` agent sleeps 60 s: cancel once the init event arrived.
  const poolEvents = await eventLatency(async (onEvent) => {
    let id;
    await new Promise((resolve) => {
      void pool.dispatch({ agent: 'events', task: 'e' }, { onJob: (j) => (id = j), onEvent: (e) => (onEvent(e), e.type === 'init' && resolve()) });
    });
    await pool.cancel(id);
  });
  console.log(`event, agent start → caller local median ${ms(percentile(localEvents, 0.5))}   pool median ${ms(percentile(poolEvents, 0.5))} (p95 ${ms(percentile(poolEvents, 0.95))})  (target ≤ 100 ms)`);

  // 3. 10,000 jobs: enqueue and list. A registry entry serves `bulk` without a process fetching, so jobs stay queued.
  const admin = await openRedis(parseQueueUrl(url));
  const hold = () => announce(admin, { id: 'bulk-holder', host: 'nobody', pid: 0, agents: ['bulk'], maxConcurrency: 0, running: 0, startedAt: Date.now(), version: 'bench' });
  await hold();
  const holding = setInterval(hold, 1000);
  let t = performance.now();
  for (let i = 0; i < 10_000; i += 500) await Promise.all(Array.from({ length: 500 }, (_, j) => pool.start({ agent: 'bulk', task: `bulk ${i + j} ${'x'.repeat(400)}` })));
  const poolEnqueue = performance.now() - t;
  clearInterval(holding);
  t = performance.now();
  await pool.jobs({ limit: 50 });
  const poolPage = performance.now() - t;
  t = performance.now();
  await pool.jobs({ limit: 1000 });
  const poolBig = performance.now() - t;
  t = performance.now();
  for (let i = 0; i < 10_000; i++) store.create({ kind: 'async', request: { agent: 'api', task: `bulk ${i} ${'x'.repeat(400)}` }, prompt: 'p' });
  const localEnqueue = performance.now() - t;
  t = performance.now();
  store.list({ limit: 50 });
  const localPage = performance.now() - t;
  t = performance.now();
  store.list({ limit: 1000 });
  const localBig = performance.now() - t;
  console.log(`10,000 jobs enqueue        local ${ms(localEnqueue)}   pool ${ms(poolEnqueue)}`);
  console.log(`list a page of 50 / 1000   local ${ms(localPage)} / ${ms(localBig)}   pool ${ms(poolPage)} / ${ms(poolBig)}`);

  // 4. Failover: SIGKILL the worker of a running job; time until the caller has it failed naming the host.
  const pending = pool.dispatch({ agent: 'slow', task: 'long' });
  await new Promise((r) => setTimeout(r, 1500));
  const killedAt = performance.now();
  slowWorker.kill('SIGKILL');
  const outcome = await pending;
  console.log(`failover after SIGKILL     ${ms(performance.now() - killedAt)}  (bound pool_failover_seconds = 6000 ms; ${outcome.result.ok ? 'job completed?!' : 'failed: ' + outcome.result.error?.message.slice(0, 60) + '…'})`);
  admin.disconnect();
  await pool.close();
  store.close();
} catch (error) {
  if (!error.done) throw error;
} finally {
  for (const c of children) c.kill('SIGKILL');
  await redisServer.stop();
  setTimeout(() => rmSync(dir, { recursive: true, force: true }), 500);
}
