import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { Lease } from '../../../src/jobs/store/index.js';
import { keep } from '../../../src/jobs/store/keep.js';
import { startFixture, storeWithFixtures } from '../support/child.js';

const env = storeWithFixtures();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// The most intervals open at the same moment.
function maxOverlap(intervals: { start: number; end: number }[]): number {
  const points = intervals.flatMap((i) => [[i.start, 1], [i.end, -1]] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let open = 0;
  let max = 0;
  for (const [, delta] of points) max = Math.max(max, (open += delta));
  return max;
}

describe('acquireLease in one process', () => {
  it('never lets more than `limit` holders run at once, across store instances', async () => {
    const stores = [env.open(), env.open()];
    let running = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        const lease = await (stores[i % 2]?.acquireLease({ limit: 3 }) as Promise<Lease>);
        peak = Math.max(peak, ++running);
        await sleep(5);
        running--;
        lease.release();
      }),
    );
    expect(peak).toBeLessThanOrEqual(3);
    expect(stores[0]?.leaseState()).toEqual({ held: [], waiting: [] });
  });

  it('serves waiters in the order they arrived', async () => {
    const store = env.open();
    const first = await store.acquireLease({ limit: 1 });
    const order: string[] = [];
    const a = store.acquireLease({ limit: 1 }).then((l) => (order.push('a'), l));
    await sleep(5);
    const b = store.acquireLease({ limit: 1 }).then((l) => (order.push('b'), l));
    await sleep(5);
    expect(store.leaseState().waiting).toHaveLength(2);
    first.release();
    (await a).release();
    (await b).release();
    expect(order).toEqual(['a', 'b']);
  });

  it('rejects on abort and on timeout, leaving no place in line behind', async () => {
    const store = env.open();
    const held = await store.acquireLease({ limit: 1 });
    const controller = new AbortController();
    const aborted = store.acquireLease({ limit: 1, signal: controller.signal });
    controller.abort(new Error('job cancelled'));
    await expect(aborted).rejects.toThrow('job cancelled');
    await expect(store.acquireLease({ limit: 1, timeoutMs: 20 })).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(store.leaseState().waiting).toEqual([]);
    held.release();
    held.release();
    (await store.acquireLease({ limit: 1 })).release();
  });

  it('refuses a lease for a job that does not exist', async () => {
    await expect(env.open().acquireLease({ limit: 1, jobId: 'a'.repeat(32) })).rejects.toMatchObject({ code: 'JOB_NOT_FOUND' });
    await expect(env.open().acquireLease({ limit: 1, jobId: 'nope' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it.each([[0], [-2], [1.5], [Number.NaN]])('rejects a limit of %d with INVALID_INPUT', async (limit) => {
    await expect(env.open().acquireLease({ limit })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('reclaims the slot of a dead holder and of a job that already ended', async () => {
    const dead = { pid: 424242, startedAt: 1 };
    const store = env.open({ isAlive: (pid) => pid !== dead.pid });
    await store.acquireLease({ limit: 2, holder: dead });
    const job = store.create({ kind: 'async', request: { agent: 'api', task: 't' } });
    await store.acquireLease({ limit: 2, jobId: job.id });
    store.finish(job.id, { status: 'failed', reason: 'forgot to release' });
    const a = await store.acquireLease({ limit: 2, timeoutMs: 5000 });
    const b = await store.acquireLease({ limit: 2, timeoutMs: 5000 });
    expect(store.leaseState().held.map((l) => l.id)).toEqual([a.id, b.id]);
  });

  it('drops a leftover waiter row whose job has ended, so it keeps no place ahead of later waiters', async () => {
    const store = env.open();
    const ended = store.create({ kind: 'async', request: { agent: 'api', task: 't' } });
    store.finish(ended.id, { status: 'cancelled', reason: 'cancelled while queued' });
    // A row left behind by a waiter whose clean-up failed, in a process that is still alive (this one).
    // Kept, like the store's own (see src/jobs/store/keep.ts).
    const db = keep(new Database(store.path));
    keep(db.prepare('INSERT INTO lease_waiters (job_id, pid, started_at, since) VALUES (?, ?, NULL, ?)')).run(ended.id, process.pid, Date.now());
    db.close();
    const lease = await store.acquireLease({ limit: 1, timeoutMs: 2000 });
    expect(store.leaseState().held.map((l) => l.id)).toEqual([lease.id]);
  });

  it('creates a job already running with its slot when one is free, and a pending one without when not', () => {
    const store = env.open();
    const request = { agent: 'api', task: 't' };
    const first = store.createWithSlot({ kind: 'sync', request }, { limit: 1 });
    expect(first.job).toMatchObject({ status: 'running', startedAt: expect.any(Number) });
    expect(store.get(first.job.id)).toEqual(first.job);
    const second = store.createWithSlot({ kind: 'sync', request }, { limit: 1 });
    expect(second).toEqual({ job: expect.objectContaining({ status: 'pending' }) });
    // Another pool has its own limit.
    expect(store.createWithSlot({ kind: 'sync', request }, { limit: 1, pool: `job:${first.job.id}` }).lease).toBeDefined();
  });

  it('takes no slot ahead of an earlier waiter', async () => {
    const store = env.open();
    const held = await store.acquireLease({ limit: 1 });
    const waiting = store.acquireLease({ limit: 1 });
    await sleep(5);
    held.release();
    expect(store.createWithSlot({ kind: 'sync', request: { agent: 'api', task: 't' } }, { limit: 1 }).lease).toBeUndefined();
    (await waiting).release();
  });

  it('ends a job and frees its slot in one write, waking the next waiter', async () => {
    const store = env.open();
    const { job, lease } = store.createWithSlot({ kind: 'sync', request: { agent: 'api', task: 't' } }, { limit: 1 });
    const next = store.acquireLease({ limit: 1 });
    store.finish(job.id, { status: 'done', release: lease, progress: { turns: 2, lastTool: 'Bash: ls', tail: ['turn 2 · Bash: ls'], updatedAt: 1 }, events: [{ type: 'text', text: 'hi' }] });
    expect(store.get(job.id)).toMatchObject({ status: 'done', progress: { turns: 2, lastTool: 'Bash: ls' } });
    expect(store.events(job.id).events.map((e) => e.event)).toEqual([{ type: 'text', text: 'hi' }]);
    expect(store.list()[0]).toMatchObject({ lastTool: 'Bash: ls', lastLine: 'turn 2 · Bash: ls' });
    (await next).release();
    expect(lease?.release()).toBe(true);
    expect(store.leaseState()).toEqual({ held: [], waiting: [] });
  });

  it('releases its leases and wakes its waiters with an error on close', async () => {
    const store = env.open();
    await store.acquireLease({ limit: 1 });
    const waiting = store.acquireLease({ limit: 1 });
    store.close();
    await expect(waiting).rejects.toThrow(/closed while waiting/);
    expect(env.open().leaseState()).toEqual({ held: [], waiting: [] });
  });
});

describe('acquireLease across processes', () => {
  // The database does not exist yet: the five processes also create and migrate it at the same moment.
  it('keeps 5 processes taking 4 leases each under a limit of 3', async () => {
    const workers = Array.from({ length: 5 }, () => startFixture('lease-worker.mjs', [env.bundle, env.path, '3', '4', '60']));
    await Promise.all(workers.map((w) => w.exited));
    const intervals = workers.flatMap((w) => w.lines.map((line) => JSON.parse(line) as { start: number; end: number }));
    expect(intervals).toHaveLength(20);
    const peak = maxOverlap(intervals);
    console.log(`lease test: highest concurrency seen across 5 processes = ${peak} (limit 3)`);
    // Seen once in CI (Node 22, peak 4): the whole record, to find the cause if it happens again.
    if (peak > 3) console.log(JSON.stringify([...intervals].sort((a, b) => a.start - b.start)));
    expect(peak).toBeLessThanOrEqual(3);
    expect(env.open().leaseState()).toEqual({ held: [], waiting: [] });
  });

  it('reclaims the slot of a holder killed with SIGKILL', async () => {
    const holder = startFixture('lease-holder.mjs', [env.bundle, env.path, '1']);
    expect(await holder.nextLine()).toMatch(/^held \d+$/);
    const store = env.open();
    expect(store.leaseState().held).toHaveLength(1);
    const waiting = store.acquireLease({ limit: 1, timeoutMs: 30_000 });
    holder.child.kill('SIGKILL');
    const lease = await waiting;
    expect(store.leaseState().held.map((l) => [l.id, l.pid])).toEqual([[lease.id, process.pid]]);
  });
});
