// Isolated dispatches through the dispatch service: the branch is named after the job, the result (with its
// worktree and changes) is stored with the job, and an isolated answer is never served from the cache.
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createRunner } from '../../src/runner/index.js';
import { cleanupRepos, makeRepo } from '../runner/git/repo.js';
import { createRig, FIXTURE_BIN } from './service-harness.js';

const rig = createRig();
afterAll(async () => {
  await rig.cleanup();
  cleanupRepos();
});

describe('isolated dispatches through the service', () => {
  it('names the branch after the job, stores the worktree with the result, and never answers from the cache', async () => {
    makeRepo({ 'README.md': 'api\n' }, join(rig.dir, 'api'));
    const service = rig.openService({
      runner: (limits) => createRunner({ env: rig.env, binaries: { claude: join(FIXTURE_BIN, 'claude-ok.mjs') }, worktreesDir: join(rig.stateDir, 'worktrees'), ...limits }),
    });
    const first = await service.dispatch({ agent: 'api', task: 'same task', isolation: 'worktree' }, { useCache: true });
    const second = await service.dispatch({ agent: 'api', task: 'same task', isolation: 'worktree' }, { useCache: true });
    expect(first.result.ok, first.result.error?.message).toBe(true);
    expect(second.cached).toBe(false);
    expect(first.result.worktree).toMatchObject({ branch: `agent-dispatch/${first.jobId.slice(0, 8)}`, base: 'main', path: join(rig.stateDir, 'worktrees', 'api', first.jobId.slice(0, 8)) });
    expect(second.result.worktree?.branch).toBe(`agent-dispatch/${second.jobId.slice(0, 8)}`);
    expect(rig.store.get(first.jobId).result?.worktree?.branch).toBe(first.result.worktree?.branch);
    expect(rig.store.get(first.jobId).result?.changes).toMatchObject({ files: [], commits: [] });

    const missing = await service.dispatch({ agent: 'api', task: 'other', isolation: 'worktree', baseRef: 'no-such' }, {});
    expect(missing.result.ok).toBe(false);
    expect(missing.result.error?.message).toContain('base_ref "no-such" does not name a commit');
  });
});
