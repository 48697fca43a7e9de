// The dashboard and `jobs show` on the worker pool (issue 15, "One history"), each figure beside a baseline
// measured in the same run:
//   jobs page       server-side render of the jobs page with N pool jobs in Redis, vs the same page on a SQLite
//                   store holding N jobs (the local dashboard);
//   live change     a worker's progress write + event message → the dashboard's change feed hands the change on,
//                   vs a bare Redis pub/sub round trip (the floor; the feed waits 150 ms on purpose to coalesce);
//   timeline flush  one flush of 4 events to a job's history (the worker's extra write every 250 ms), vs the
//                   progress HSET it already sends then.
// Needs /usr/bin/redis-server and a build (`npm run build`); `node bench/pool-view.mjs`. Loaded machines give noisy times.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, createJobStore } from '../dist/index.js';
import { importTs } from '../test/support/load-ts.mjs';
import { percentile } from './lib/paired.mjs';

const ROOT = join(import.meta.dirname, '..');
const N = Number(process.env.BENCH_JOBS ?? 2000);
const SAMPLES = 30;
const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const TOKEN = 'bench-token-0123456789abcdefghijklmnopqrstuvwxyz';
const ms = (v) => `${v.toFixed(1)} ms`;
const median = (xs) => percentile(xs, 0.5);

// The tests' redis-server: a free loopback port, a password, AOF on, noeviction.
const { HAVE_REDIS, startRedis } = await importTs(join(ROOT, 'test', 'pool', 'support.ts'));
if (!HAVE_REDIS) {
  console.log('pool-view: skipped (no /usr/bin/redis-server)');
  process.exit(0);
}

const { createPoolJobView } = await importTs(join(ROOT, 'src', 'pool', 'view.ts'));
const { appendHistory } = await importTs(join(ROOT, 'src', 'pool', 'history.ts'));
const { openRedis } = await importTs(join(ROOT, 'src', 'pool', 'connect.ts'));
const { K } = await importTs(join(ROOT, 'src', 'pool', 'keys.ts'));
const { toJobRecord } = await importTs(join(ROOT, 'src', 'pool', 'records.ts'));
const { parseQueueUrl } = await importTs(join(ROOT, 'src', 'shared', 'queue-url.ts'));

const dir = mkdtempSync(join(tmpdir(), 'ad-bench-poolview-'));
const server = await startRedis();
try {
  const endpoint = parseQueueUrl(server.url);
  const redis = await openRedis(endpoint);

  // N finished pool jobs on 3 hosts, and the same N in a SQLite store.
  const store = createJobStore({ path: join(dir, 'jobs.db'), logger: quiet });
  const now = Date.now();
  const pipe = redis.pipeline();
  for (let i = 0; i < N; i++) {
    const id = randomBytes(16).toString('hex');
    const at = now - (N - i) * 1000;
    pipe.hset(K.job(id), { id, kind: 'async', status: 'done', agent: `agent-${i % 5}`, caller: 'bench', task: `task ${i}`, createdAt: String(at), startedAt: String(at + 10), endedAt: String(at + 500), cost: '0.01', ok: '1', host: `host-${i % 3}`, progress: JSON.stringify({ turns: 2, tail: ['Bash ls'], updatedAt: at }) });
    pipe.zadd(K.jobs, at, id);
    const job = store.create({ kind: 'async', request: { agent: `agent-${i % 5}`, task: `task ${i}`, caller: 'bench' } });
    store.markRunning(job.id);
    store.finish(job.id, { status: 'done' });
  }
  await pipe.exec();
  const view = createPoolJobView({ redis, status: async (id) => toJobRecord(await redis.hgetall(K.job(id))) });
  const appOf = (source) =>
    createApp({ store, ...(source ? { source } : {}), dispatcher: { cancel: async () => ({}), reply: async () => ({}) }, agents: () => [], budgets: () => ({ agents: {} }), token: TOKEN, port: () => 7788, logger: quiet });
  const headers = { host: '127.0.0.1:7788', authorization: `Bearer ${TOKEN}` };
  const render = async (app, path) => {
    const t = performance.now();
    const res = await app.request(path, { headers });
    await res.text();
    if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
    return performance.now() - t;
  };
  const local = appOf();
  const pooled = appOf(view);
  for (const [label, path] of [['jobs page', '/'], ['jobs page, one agent', '/?agent=agent-1'], ['costs page (14 days)', '/costs']]) {
    const base = [];
    const ours = [];
    for (let i = 0; i < SAMPLES; i++) {
      base.push(await render(local, path));
      ours.push(await render(pooled, path));
    }
    console.log(`${label.padEnd(22)} ${N} pool jobs: median ${ms(median(ours))} (p90 ${ms(percentile(ours, 0.9))})   SQLite store, ${N} jobs: ${ms(median(base))}`);
  }

  // Live: a worker's progress write and its event message → the feed's change.
  const sub = redis.duplicate();
  const floor = [];
  await sub.subscribe('bench:ping');
  let pinged = () => {};
  sub.on('message', () => pinged());
  for (let i = 0; i < SAMPLES; i++) {
    const t = performance.now();
    await new Promise((resolve) => ((pinged = resolve), void redis.publish('bench:ping', 'x')));
    floor.push(performance.now() - t);
  }
  const id = randomBytes(16).toString('hex');
  await redis.multi().hset(K.job(id), { id, kind: 'async', status: 'running', agent: 'agent-0', caller: 'bench', task: 'live', createdAt: String(Date.now()), host: 'host-0' }).zadd(K.jobs, Date.now(), id).exec();
  let seen = () => {};
  view.subscribe((batch) => batch.changes.some((c) => c.id === id) && seen());
  await view.currentSeq();
  const live = [];
  for (let i = 0; i < SAMPLES; i++) {
    const t = performance.now();
    const got = new Promise((resolve) => (seen = resolve));
    await redis.hset(K.job(id), 'progress', JSON.stringify({ turns: i, tail: [`step ${i}`], updatedAt: Date.now() }));
    await redis.publish(K.jobChannel(id), JSON.stringify({ event: { type: 'text', text: `step ${i}` } }));
    await got;
    live.push(performance.now() - t);
  }
  console.log(`live change            write + event → feed: median ${ms(median(live))} (p90 ${ms(percentile(live, 0.9))}; 150 ms of it is the deliberate settle)   bare pub/sub round trip: ${ms(median(floor))}`);

  // The worker's extra write per 250 ms tick.
  const events = [
    { at: Date.now(), event: { type: 'tool_use', id: 't1', name: 'Bash', input: { command: 'npm test' } } },
    { at: Date.now(), event: { type: 'tool_result', toolUseId: 't1', isError: false, content: 'ok '.repeat(200) } },
    { at: Date.now(), event: { type: 'text', text: 'All green.' } },
    { at: Date.now(), event: { type: 'text', text: 'Done.' } },
  ];
  const flush = [];
  const hset = [];
  for (let i = 0; i < SAMPLES * 10; i++) {
    let t = performance.now();
    await appendHistory(redis, id, events, 86_400);
    flush.push(performance.now() - t);
    t = performance.now();
    await redis.hset(K.job(id), 'progress', JSON.stringify({ turns: i, tail: ['x'], updatedAt: Date.now() }));
    hset.push(performance.now() - t);
  }
  console.log(`timeline flush         4 events appended (list kept at 1,000): median ${ms(median(flush))}   the progress HSET sent at the same tick: ${ms(median(hset))}`);
  await view.close();
  sub.disconnect();
  redis.disconnect();
  store.close();
} finally {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
