// The cache gate learns the project's git state only when a cached answer could be used, and otherwise once the
// job holds its slot (never while it queues); a changed tree is never answered from the cache.
import { afterEach, describe, expect, it } from 'vitest';
import { isReplayable } from '../../src/jobs/cache-gate.js';
import { createRig, deferred, fakeRunner, type Rig } from './service-harness.js';
import { runResult } from './support/store.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.cleanup();
  rig = undefined;
});

// A projectState that records each call and answers the current `tree` (with a status read named after it).
function gitSpy() {
  const spy = {
    tree: 'commit-1',
    calls: [] as string[],
    projectState: async (agent: { directory: string }) => (spy.calls.push(agent.directory), { key: spy.tree, status: { directory: agent.directory, output: `status of ${spy.tree}` } }),
  };
  return spy;
}

describe('cache gate', () => {
  it('asks for the project state once per fresh dispatch, and answers a repeat from the cache', async () => {
    const runner = fakeRunner((r) => runResult({ agent: r.agent.name, text: r.task }));
    rig = createRig({ runner });
    const git = gitSpy();
    const service = rig.openService({ projectState: git.projectState });
    const first = await service.dispatch({ agent: 'api', task: 'a' }, { useCache: true });
    expect(git.calls).toHaveLength(1);
    const again = await service.dispatch({ agent: 'api', task: 'a' }, { useCache: true });
    expect(again).toMatchObject({ cached: true, jobId: first.jobId });
    expect(git.calls).toHaveLength(2);
    expect(runner.calls).toHaveLength(1);
  });

  it('keeps an answer over the inline limit out of the in-memory cache (the job store has it whole)', async () => {
    const runner = fakeRunner((r) => runResult({ agent: r.agent.name, text: 'x'.repeat(5 * 1024 * 1024) }));
    rig = createRig({ runner });
    const service = rig.openService({ projectState: gitSpy().projectState });
    await service.dispatch({ agent: 'api', task: 'big' }, { useCache: true });
    expect(await service.dispatch({ agent: 'api', task: 'big' }, { useCache: true })).toMatchObject({ cached: false });
    expect(runner.calls).toHaveLength(2);
  });

  it('does not replay an answer whose run changed files (the key holds the tree before the run)', async () => {
    const changes = { files: [{ path: 'a.txt', status: 'modified' as const, additions: 1, deletions: 0 }], commits: [], diffStat: '1 file changed' };
    const runner = fakeRunner((r) => runResult({ agent: r.agent.name, changes }));
    rig = createRig({ runner });
    const service = rig.openService({ projectState: gitSpy().projectState });
    await service.dispatch({ agent: 'api', task: 'edit' }, { useCache: true });
    expect(await service.dispatch({ agent: 'api', task: 'edit' }, { useCache: true })).toMatchObject({ cached: false });
  });

  it('never answers from the cache once the tree changed', async () => {
    const runner = fakeRunner((r) => runResult({ agent: r.agent.name }));
    rig = createRig({ runner });
    const git = gitSpy();
    const service = rig.openService({ projectState: git.projectState });
    await service.dispatch({ agent: 'api', task: 'a' }, { useCache: true });
    git.tree = 'commit-1+dirty:M a.txt';
    expect(await service.dispatch({ agent: 'api', task: 'a' }, { useCache: true })).toMatchObject({ cached: false });
    expect(runner.calls).toHaveLength(2);
    // The answer for the new tree is cached in turn.
    expect(await service.dispatch({ agent: 'api', task: 'a' }, { useCache: true })).toMatchObject({ cached: true });
  });

  it('starts no git process for a queued dispatch until it holds its slot', async () => {
    const hold = deferred();
    const runner = fakeRunner(async (r) => {
      if (r.task === 'first') await hold.promise;
      return runResult({ agent: r.agent.name });
    });
    rig = createRig({ runner, settings: { max_concurrency: 1 } });
    const git = gitSpy();
    const service = rig.openService({ projectState: git.projectState });
    const first = service.dispatch({ agent: 'api', task: 'first' }, { useCache: true });
    await new Promise((r) => setTimeout(r, 30));
    expect(git.calls).toHaveLength(1);
    const queued = Array.from({ length: 20 }, (_, i) => service.dispatch({ agent: 'api', task: `queued ${i}` }, { useCache: true }));
    await new Promise((r) => setTimeout(r, 50));
    expect(git.calls).toHaveLength(1);
    hold.resolve();
    await Promise.all([first, ...queued]);
    expect(git.calls).toHaveLength(21);
  });

  it('hands the status read behind the key to the run, so its snapshot runs no second git status', async () => {
    const seen: unknown[] = [];
    const runner = fakeRunner((r, options) => (seen.push(options.workTreeStatus), runResult({ agent: r.agent.name })));
    rig = createRig({ runner });
    const git = gitSpy();
    const service = rig.openService({ projectState: git.projectState });
    await service.dispatch({ agent: 'api', task: 'a' }, { useCache: true });
    await service.dispatch({ agent: 'api', task: 'b' });
    expect(git.calls).toHaveLength(1);
    expect(seen).toEqual([{ directory: git.calls[0], output: 'status of commit-1' }, undefined]);
  });

  it('asks for no project state when the call does not use the cache', async () => {
    rig = createRig({ runner: fakeRunner() });
    const git = gitSpy();
    const service = rig.openService({ projectState: git.projectState });
    await service.dispatch({ agent: 'api', task: 'a' });
    await service.dispatch({ agent: 'api', task: 'a', sessionId: 's' }, { useCache: true });
    expect(git.calls).toEqual([]);
  });
});

describe('isReplayable', () => {
  const file = (dirtyBefore: boolean, changedByRun: boolean) => ({ path: 'a.txt', status: 'modified' as const, additions: 1, deletions: 0, dirtyBefore, changedByRun });
  const changes = (files: ReturnType<typeof file>[], commits: { oid: string; subject: string }[] = []) => ({ files, commits, diffStat: '' });
  const limits = { maxInlineBytes: 100, maxBudgetUsd: 1 };
  it.each([
    ['a plain success', {}, true],
    ['a failure', { ok: false }, false],
    ['a run with a permission denial', { permissionDenials: [{ toolName: 'Bash', toolUseId: 't', toolInput: {} }] }, false],
    ['a run over the agent budget', { costUsd: 2 }, false],
    ['an answer over the inline limit', { text: 'x'.repeat(101) }, false],
    ['a run that left only the user\'s own edits', { changes: changes([file(true, false)]) }, true],
    ['a run that edited a file', { changes: changes([file(false, true)]) }, false],
    ['a run that touched a file the user had edited', { changes: changes([file(true, true)]) }, false],
    ['a run that committed', { changes: changes([], [{ oid: 'abc', subject: 'x' }]) }, false],
  ])('%s → %s', (_what, overrides, expected) => {
    expect(isReplayable(runResult(overrides as Parameters<typeof runResult>[0]), limits)).toBe(expected);
  });
});
