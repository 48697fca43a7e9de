import { describe, expect, it } from 'vitest';
import type { ChangeBatch } from '../../../src/jobs/store/index.js';
import { startFixture, storeWithFixtures } from '../support/child.js';
import { runResult } from '../support/store.js';

const env = storeWithFixtures();

const request = { agent: 'api', task: 'quick task', caller: 'test' };

describe('waitFor', () => {
  it('resolves when the job finishes in this process', async () => {
    const store = env.open({ pollIntervalMs: 60_000, livenessIntervalMs: 60_000 });
    const job = store.create({ kind: 'async', request });
    store.markRunning(job.id);
    const waiting = store.waitFor(job.id, { timeoutMs: 30_000 });
    setTimeout(() => store.finish(job.id, { status: 'done', result: runResult({ text: 'answer' }) }), 5);
    const { job: done, timedOut } = await waiting;
    expect(timedOut).toBe(false);
    expect(done).toMatchObject({ status: 'done', result: { text: 'answer' } });
  });

  it('returns at once for a job that already ended', async () => {
    const store = env.open();
    const job = store.create({ kind: 'async', request });
    store.requestCancel(job.id);
    await expect(store.waitFor(job.id)).resolves.toMatchObject({ timedOut: false, job: { status: 'cancelled' } });
  });

  it('returns the current record with timedOut on timeout', async () => {
    const store = env.open();
    const job = store.create({ kind: 'async', request });
    await expect(store.waitFor(job.id, { timeoutMs: 20 })).resolves.toMatchObject({ timedOut: true, job: { id: job.id, status: 'pending' } });
  });

  it('rejects with the signal reason when aborted, and on close', async () => {
    const store = env.open();
    const job = store.create({ kind: 'async', request });
    const controller = new AbortController();
    const waiting = store.waitFor(job.id, { signal: controller.signal });
    controller.abort(new Error('caller went away'));
    await expect(waiting).rejects.toThrow('caller went away');
    const closing = store.waitFor(job.id);
    store.close();
    await expect(closing).rejects.toThrow(/closed while waiting/);
  });

  it.each([
    ['not-an-id', /Malformed job id/],
    ['0'.repeat(32), /No job with id/],
  ])('rejects %s with a clear error', async (id, message) => {
    await expect(env.open().waitFor(id)).rejects.toThrow(message);
  });

  it('sees a finish written by another connection of this process', async () => {
    const a = env.open();
    const b = env.open();
    const job = a.create({ kind: 'async', request });
    const waiting = a.waitFor(job.id, { timeoutMs: 30_000 });
    setTimeout(() => b.finish(job.id, { status: 'failed', reason: 'elsewhere' }), 5);
    await expect(waiting).resolves.toMatchObject({ timedOut: false, job: { status: 'failed', failureReason: 'elsewhere' } });
  });

  it('sees a finish written by another process', async () => {
    const store = env.open();
    const job = store.create({ kind: 'async', request });
    store.markRunning(job.id);
    const waiting = store.waitFor(job.id, { timeoutMs: 30_000 });
    startFixture('finisher.mjs', [env.bundle, env.path, job.id, '50']);
    const { job: done } = await waiting;
    expect(done.result?.text).toBe('from another process');
  });
});

describe('onCancelRequested', () => {
  it('tells the owner when another process asks to cancel its running job', async () => {
    const owner = env.open();
    const job = owner.create({ kind: 'async', request });
    owner.markRunning(job.id);
    const fired = new Promise<void>((resolve) => owner.onCancelRequested(job.id, resolve));
    expect(env.open().requestCancel(job.id).outcome).toBe('requested');
    await fired;
  });

  it('fires for a pending job cancelled in this process, and not after unsubscribing', async () => {
    const store = env.open();
    const a = store.create({ kind: 'async', request });
    const b = store.create({ kind: 'async', request });
    let bFired = false;
    const stop = store.onCancelRequested(b.id, () => (bFired = true));
    stop();
    const fired = new Promise<void>((resolve) => store.onCancelRequested(a.id, resolve));
    store.requestCancel(a.id);
    store.requestCancel(b.id);
    await fired;
    expect(bFired).toBe(false);
  });
});

describe('change feed', () => {
  it('returns each changed job once, in its latest state, after a sequence number', () => {
    const store = env.open();
    const start = store.currentSeq();
    const a = store.create({ kind: 'async', request });
    const b = store.create({ kind: 'async', request });
    store.markRunning(a.id);
    store.saveProgress(a.id, { turns: 1, tail: ['turn 1 · Read'], updatedAt: 1 });
    const batch = store.changesSince(start);
    expect(batch.changes.map((c) => [c.id, c.status, c.lastLine])).toEqual([
      [b.id, 'pending', undefined],
      [a.id, 'running', 'turn 1 · Read'],
    ]);
    expect(batch.purged).toBe(false);
    expect(store.changesSince(batch.seq).changes).toEqual([]);
    const paged = store.changesSince(start, 1);
    expect(paged.changes.map((c) => c.id)).toEqual([b.id]);
    expect(store.changesSince(paged.seq, 1).changes.map((c) => c.id)).toEqual([a.id]);
  });

  it('delivers changes from this and other processes to subscribers, and flags gc', async () => {
    const store = env.open();
    const batches: ChangeBatch[] = [];
    let notify = () => {};
    const unsubscribe = store.subscribe((batch) => {
      batches.push(batch);
      notify();
    });
    const next = () => new Promise<void>((resolve) => (notify = resolve));
    let arrived = next();
    const job = store.create({ kind: 'async', request });
    await arrived;
    expect(batches.at(-1)?.changes.map((c) => [c.id, c.status])).toEqual([[job.id, 'pending']]);
    arrived = next();
    startFixture('finisher.mjs', [env.bundle, env.path, job.id, '0']);
    await arrived;
    expect(batches.at(-1)?.changes.map((c) => [c.id, c.status, c.ok])).toEqual([[job.id, 'done', true]]);
    arrived = next();
    store.gc(0);
    await arrived;
    expect(batches.at(-1)).toMatchObject({ changes: [], purged: true });
    unsubscribe();
  });
});
