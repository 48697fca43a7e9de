// Cancelling through the dispatch service: a queued job, a running job of this process (its whole process tree
// dies), a job run through another store instance, and a job owned by a detached supervisor process.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { isAlive, killAll, survivorsAfter } from '../e2e/procs.js';
import { assertBuilt } from '../support/product.js';
import { createRig, deferred, fakeRunner, type Rig } from './service-harness.js';
import { runResult } from './support/store.js';

let rig: Rig | undefined;
const leftovers: number[] = [];
afterEach(async () => {
  killAll(leftovers.splice(0));
  await rig?.cleanup();
  rig = undefined;
});

// A runner that finishes only when its signal aborts (then as cancelled), or when `release` resolves.
function blockingRunner(release: Promise<void> = new Promise(() => {})) {
  return fakeRunner(async (request, options) => {
    options.onEvent?.({ type: 'init', sessionId: 's' });
    const cancelled = new Promise<'cancelled'>((resolve) => {
      if (options.signal?.aborted) resolve('cancelled');
      options.signal?.addEventListener('abort', () => resolve('cancelled'), { once: true });
    });
    const how = await Promise.race([cancelled, release.then(() => 'done' as const)]);
    return how === 'done'
      ? runResult({ agent: request.agent.name })
      : runResult({ agent: request.agent.name, ok: false, costUsd: 0.01, error: { type: 'cancelled', message: 'cancelled' } });
  });
}

describe('cancel', () => {
  it('cancels a job still waiting for a concurrency slot without ever starting its agent', async () => {
    const release = deferred();
    const runner = blockingRunner(release.promise);
    rig = createRig({ runner, settings: { max_concurrency: 1 } });
    const first = rig.service.dispatch({ agent: 'api', task: 'first' });
    await vi.waitFor(() => expect(runner.calls).toHaveLength(1));
    let queued = '';
    const second = rig.service.dispatch({ agent: 'web', task: 'second' }, { onJob: (id) => (queued = id) });
    await vi.waitFor(() => expect(rig!.store.leaseState().waiting).toHaveLength(1));

    const cancel = await rig.service.cancel(queued);
    expect(cancel).toMatchObject({ outcome: 'cancelled', job: { status: 'cancelled' } });
    expect(await second).toMatchObject({ jobId: queued, result: { ok: false, error: { type: 'cancelled' } } });
    release.resolve();
    await first;
    expect(runner.calls.map((c) => c.task)).toEqual(['first']);
    // A job that never ran is no run in the cost ledger.
    expect(rig.store.costsByAgent().map((c) => c.agent)).toEqual(['api']);
  });

  it('reports a cancel of a finished job as already terminal and leaves it alone', async () => {
    rig = createRig({ runner: fakeRunner() });
    const { jobId } = await rig.service.dispatch({ agent: 'api', task: 'x' });
    expect(await rig.service.cancel(jobId)).toMatchObject({ outcome: 'already_terminal', job: { status: 'done' } });
  });

  it('kills the whole process tree of a running job this process owns', async () => {
    rig = createRig({ runner: 'claude-hang.mjs', env: { FIXTURE_GRANDCHILD: '1' } });
    const pidFile = join(rig.dir, 'pids');
    rig.env.FIXTURE_PID_FILE = pidFile;
    let jobId = '';
    const pending = rig.service.dispatch({ agent: 'api', task: 'hang' }, { onJob: (id) => (jobId = id) });
    const pids = await vi.waitFor(
      () => {
        const lines = readFileSync(pidFile, 'utf8').split('\n').filter(Boolean).map(Number);
        expect(lines).toHaveLength(2);
        return lines;
      },
      { timeout: 10_000 },
    );
    leftovers.push(...pids);
    expect(rig.store.get(jobId)).toMatchObject({ status: 'running', childPid: pids[0] });

    const cancel = await rig.service.cancel(jobId);
    expect(cancel).toMatchObject({ outcome: 'cancelled_running', job: { status: 'cancelled' } });
    expect(await pending).toMatchObject({ result: { ok: false, error: { type: 'cancelled' } } });
    // The agent and the grandchild it started both ignore SIGTERM: the group gets SIGKILL after the grace period.
    expect(await survivorsAfter(pids, 5_000)).toEqual([]);
  });

  it('stops a job run through another store instance when a cancel is requested through this one', async () => {
    rig = createRig({ runner: blockingRunner() });
    const owner = rig.openService();
    let jobId = '';
    const pending = owner.dispatch({ agent: 'api', task: 'x' }, { onJob: (id) => (jobId = id) });
    await vi.waitFor(() => expect(rig!.store.get(jobId).status).toBe('running'));

    // `rig.service` does not run the job: its cancel goes through the database, and the owner's watcher acts on it.
    const cancel = await rig.service.cancel(jobId);
    expect(cancel).toMatchObject({ outcome: 'cancelled_running', job: { status: 'cancelled' } });
    expect(await pending).toMatchObject({ result: { error: { type: 'cancelled' } } });
  });
});

describe('cancel across processes', () => {
  beforeAll(() => assertBuilt());

  it('has the detached supervisor that owns a running job stop it and its agent', async () => {
    rig = createRig({ runner: 'claude-sleep.mjs', supervisor: true, env: { FIXTURE_SLEEP_MS: '60000' } });
    const job = await rig.service.start({ agent: 'api', task: 'sleep a minute' });
    const supervisor = job.ownerPid!;
    leftovers.push(supervisor);
    expect(supervisor).not.toBe(process.pid);
    const running = await vi.waitFor(
      () => {
        // The agent is at work once its first tool call reached the store.
        const current = rig!.store.get(job.id);
        expect(current.progress.lastTool).toBe('Bash: sleep 0.3');
        return current;
      },
      { timeout: 15_000 },
    );
    leftovers.push(running.childPid!);
    expect(running).toMatchObject({ status: 'running', ownerPid: supervisor });

    // Another server (another store) asks; the supervisor sees the request in the database and stops the agent.
    const cancel = await rig.openService().cancel(job.id);
    expect(cancel).toMatchObject({ outcome: 'cancelled_running', job: { status: 'cancelled' } });
    expect(await survivorsAfter([running.childPid!, supervisor], 5_000)).toEqual([]);
    expect(rig.fixtureLog().map((l) => l.split(' ')[0])).toEqual(['start', 'end']);
  });

  it('cancels a background job that is still pending in its supervisor', async () => {
    rig = createRig({ runner: 'claude-sleep.mjs', supervisor: true, settings: { max_concurrency: 1 }, env: { FIXTURE_SLEEP_MS: '60000' } });
    const first = await rig.service.start({ agent: 'api', task: 'hold the only slot' });
    leftovers.push(first.ownerPid!);
    await vi.waitFor(() => expect(rig!.store.get(first.id).childPid).toBeDefined(), { timeout: 15_000 });
    const second = await rig.service.start({ agent: 'web', task: 'queued' });
    leftovers.push(second.ownerPid!);
    await vi.waitFor(() => expect(rig!.store.leaseState().waiting).toHaveLength(1), { timeout: 15_000 });

    expect(await rig.service.cancel(second.id)).toMatchObject({ outcome: 'cancelled', job: { status: 'cancelled' } });
    // Its supervisor notices and exits without running anything.
    expect(await survivorsAfter([second.ownerPid!], 5_000)).toEqual([]);
    expect(isAlive(first.ownerPid!)).toBe(true);
    expect(await rig.service.cancel(first.id)).toMatchObject({ outcome: 'cancelled_running' });
    expect(rig.fixtureLog().filter((l) => l.startsWith('start'))).toHaveLength(1);
  });
});
