import { describe, expect, it } from 'vitest';
import { currentProcess } from '../../../src/jobs/store/index.js';
import { startFixture, storeWithFixtures } from '../support/child.js';
import { runResult } from '../support/store.js';

const env = storeWithFixtures();

const request = { agent: 'api', task: 'long task', caller: 'test' };
const other = { pid: 424242, startedAt: 1 };

describe('stale-owner recovery', () => {
  it('fails a running job whose owner is gone when recovery runs, keeping its cost so far; a read alone writes nothing', () => {
    const owner = env.open();
    const job = owner.create({ kind: 'async', request, owner: other });
    owner.markRunning(job.id, { owner: other });
    owner.saveProgress(job.id, { turns: 1, costUsd: 0.3, tail: ['turn 1'], updatedAt: 1 });
    const reader = env.open({ isAlive: () => false });
    const seq = reader.currentSeq();
    expect(reader.get(job.id).status).toBe('running');
    expect(reader.list().map((j) => j.status)).toEqual(['running']);
    expect(reader.currentSeq()).toBe(seq);
    expect(reader.recoverStale()).toBe(1);
    const failed = reader.get(job.id);
    expect(failed.status).toBe('failed');
    expect(failed.failureReason).toBe("owner process 424242 exited while the job was running; the agent's result was lost");
    expect(failed.progress.tail).toEqual(['turn 1']);
    expect(reader.spend({ since: 0 })).toEqual({ costUsd: 0.3, runs: 1 });
  });

  it('fails pending jobs of a dead owner, and leaves live owners alone', () => {
    const store = env.open({ isAlive: (pid) => pid !== other.pid });
    const dead = store.create({ kind: 'async', request, owner: other });
    const live = store.create({ kind: 'async', request, owner: { pid: 1 } });
    const mine = store.create({ kind: 'async', request });
    expect(store.recoverStale()).toBe(1);
    expect(store.list().map((j) => [j.id, j.status])).toEqual([
      [mine.id, 'pending'],
      [live.id, 'pending'],
      [dead.id, 'failed'],
    ]);
    expect(store.get(dead.id).failureReason).toMatch(/^owner process 424242 exited while the job was pending/);
    expect(store.recoverStale()).toBe(0);
  });

  it.runIf(currentProcess().startedAt !== undefined)('detects a reused pid through the process start time', () => {
    const self = currentProcess();
    const store = env.open();
    const job = store.create({ kind: 'async', request, owner: { pid: self.pid, startedAt: (self.startedAt as number) - 1 } });
    store.recoverStale();
    const failed = store.get(job.id);
    expect(failed.status).toBe('failed');
    expect(failed.failureReason).toMatch(/owner process \d+ exited while the job was pending \(its pid now belongs to another process\)/);
  });

  it('never touches a job that already ended', () => {
    const store = env.open({ isAlive: () => false });
    const job = store.create({ kind: 'async', request });
    store.finish(job.id, { status: 'done', result: runResult() });
    store.claim(job.id, other);
    expect(store.recoverStale()).toBe(0);
    expect(store.get(job.id).status).toBe('done');
  });

  it('recovers the job of a process killed with SIGKILL mid-job, in a new store instance', async () => {
    const owner = startFixture('owner.mjs', [env.bundle, env.path, 'progress']);
    const id = await owner.nextLine();
    const before = env.open();
    expect(before.get(id)).toMatchObject({ status: 'running', ownerPid: owner.child.pid });
    owner.child.kill('SIGKILL');
    await owner.exited;
    before.close();
    const after = env.open();
    after.recoverStale();
    const job = after.get(id);
    expect(job.status).toBe('failed');
    expect(job.failureReason).toBe(`owner process ${owner.child.pid} exited while the job was running; the agent's result was lost`);
    expect(job.progress).toMatchObject({ turns: 2, lastTool: 'Bash: sleep', costUsd: 0.12 });
    expect(after.list({ status: 'running' })).toEqual([]);
  });

  it('ends a wait when recovery fails the job of an owner process that died', async () => {
    const owner = startFixture('owner.mjs', [env.bundle, env.path]);
    const id = await owner.nextLine();
    const store = env.open();
    const waiting = store.waitFor(id, { timeoutMs: 30_000 });
    owner.child.kill('SIGKILL');
    await owner.exited;
    // The dispatch service's sweep does this on a timer; the wait itself only reads.
    store.recoverStale();
    const { job, timedOut } = await waiting;
    expect(timedOut).toBe(false);
    expect(job.status).toBe('failed');
    expect(job.failureReason).toMatch(/^owner process \d+ exited/);
  });
});
