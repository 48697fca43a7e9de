// The MCP side of issue 19: files_changed and worktree in structuredContent, isolation/base_ref passed through,
// overlaps in dispatch_parallel, and dispatch_worktrees over a real repository.
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { createGit } from '../../src/runner/git/git.js';
import { createWorktreeManager, type WorktreeManager } from '../../src/runner/git/manage.js';
import { openWorkspace } from '../../src/runner/git/workspace.js';
import { silentLogger } from '../../src/shared/log.js';
import type { ChangeReport } from '../../src/shared/types.js';
import { fakeCatalog, fakeDispatcher, runResult, serveInProcess } from './fakes.js';
import { cleanupRepos, GIT_TEST_ENV, makeRepo, tempDir } from '../runner/git/repo.js';
import { agentIn } from '../runner/helpers.js';

afterAll(cleanupRepos);

async function connect(dispatcher = fakeDispatcher(), worktrees?: WorktreeManager) {
  const served = serveInProcess({ dispatcher, catalog: fakeCatalog(), logger: silentLogger, ...(worktrees ? { worktrees } : {}) });
  const client = new Client({ name: 'test', version: '1' });
  await client.connect(served.transport);
  return { client, dispatcher, close: async () => void (await client.close(), await served.close()) };
}

const changes = (...paths: string[]): ChangeReport => ({
  files: paths.map((path) => ({ path, status: 'modified', additions: 1, deletions: 0 })),
  commits: [{ oid: 'a'.repeat(40), subject: 'Edit' }],
  diffStat: `${paths.length} files changed`,
  repo: '/repo',
});

describe('git measurements in dispatch results', () => {
  it('puts files_changed, commits, diff_stat and worktree in structuredContent, dirty-before files marked', async () => {
    const report: ChangeReport = { ...changes('a.txt'), omitted: 3 };
    report.files.push({ path: 'b.bin', status: 'untracked', additions: 0, deletions: 0, binary: true, dirtyBefore: true, changedByRun: false });
    const dispatcher = fakeDispatcher(() => runResult({ changes: report, worktree: { path: '/wt/alpha/abc', branch: 'agent-dispatch/abc', base: 'main', baseOid: 'b'.repeat(40) } }));
    const { client, close } = await connect(dispatcher);
    const res = await client.callTool({ name: 'dispatch', arguments: { agent: 'alpha', task: 'edit', isolation: 'worktree', base_ref: 'main' } });
    expect(res.structuredContent).toMatchObject({
      files_changed: [
        { path: 'a.txt', status: 'modified', additions: 1, deletions: 0 },
        { path: 'b.bin', status: 'untracked', additions: 0, deletions: 0, binary: true, dirty_before: true, changed_by_run: false },
      ],
      files_omitted: 3,
      commits: [{ oid: 'a'.repeat(40), subject: 'Edit' }],
      diff_stat: '1 files changed',
      worktree: { path: '/wt/alpha/abc', branch: 'agent-dispatch/abc', base: 'main' },
    });
    expect(dispatcher.requests[0]).toMatchObject({ isolation: 'worktree', baseRef: 'main' });
    await close();
  });

  it.each([
    [{ isolation: 'sandbox' }, 'isolation must be "none" or "worktree"'],
    [{ isolation: 'worktree', base_ref: '--exec=x' }, 'base_ref must be a branch, tag or commit name'],
  ])('rejects %j with a message the model can act on', async (extra, message) => {
    const { client, close } = await connect();
    const res = await client.callTool({ name: 'dispatch', arguments: { agent: 'alpha', task: 't', ...extra } });
    expect(res.isError).toBe(true);
    expect((res.content as { text: string }[])[0]?.text).toContain(message);
    await close();
  });

  it('lists in overlaps the paths more than one dispatch_parallel item changed', async () => {
    const dispatcher = fakeDispatcher((r) => runResult({ agent: r.agent, changes: r.task === 'one' ? changes('shared.txt', 'a.txt') : changes('shared.txt', 'b.txt') }));
    const { client, close } = await connect(dispatcher);
    const res = await client.callTool({ name: 'dispatch_parallel', arguments: { dispatches: [{ agent: 'alpha', task: 'one', isolation: 'worktree' }, { agent: 'beta', task: 'two', isolation: 'worktree' }] } });
    expect(res.structuredContent).toMatchObject({ overlaps: [{ path: 'shared.txt', items: [0, 1] }] });
    expect(dispatcher.requests.map((r) => r.isolation)).toEqual(['worktree', 'worktree']);
    await close();
  });
});

describe('dispatch_worktrees', () => {
  it('lists, merges and discards worktrees of a real repository', async () => {
    const repo = makeRepo({ 'README.md': 'hi\n' });
    const dir = tempDir('ad-worktrees-');
    const git = createGit(GIT_TEST_ENV);
    const manager = createWorktreeManager({ dir, git });
    const made = [];
    for (const id of ['aaaaaaaa', 'bbbbbbbb']) {
      const ws = await openWorkspace({ git, worktreesDir: dir, logger: silentLogger }, { agent: agentIn(repo.dir, { name: 'alpha' }), task: 't', isolation: 'worktree' }, { jobId: id.padEnd(32, '0') });
      writeFileSync(join(ws.cwd, `${id}.txt`), `${id}\n`);
      made.push(await ws.finish(runResult()));
    }
    const { client, close } = await connect(fakeDispatcher(), manager);
    const list = await client.callTool({ name: 'dispatch_worktrees', arguments: {} });
    expect((list.structuredContent as any).worktrees.map((w: any) => [w.id, w.branch, w.state, w.job_id])).toEqual([
      ['bbbbbbbb', 'agent-dispatch/bbbbbbbb', 'active', 'bbbbbbbb'.padEnd(32, '0')],
      ['aaaaaaaa', 'agent-dispatch/aaaaaaaa', 'active', 'aaaaaaaa'.padEnd(32, '0')],
    ].sort((x, y) => (x[0]! < y[0]! ? 1 : -1)));

    const merged = await client.callTool({ name: 'dispatch_worktrees', arguments: { action: 'merge', id: 'aaaaaaaa' } });
    expect(merged.structuredContent).toMatchObject({ merged: 'aaaaaaaa', into: 'main', fast_forward: true });
    expect(readFileSync(join(repo.dir, 'aaaaaaaa.txt'), 'utf8')).toBe('aaaaaaaa\n');

    const discarded = await client.callTool({ name: 'dispatch_worktrees', arguments: { action: 'discard', id: 'agent-dispatch/bbbbbbbb' } });
    expect(discarded.structuredContent).toEqual({ discarded: 'bbbbbbbb' });
    expect(existsSync(made[1]!.worktree!.path)).toBe(false);

    const missing = await client.callTool({ name: 'dispatch_worktrees', arguments: { action: 'merge' } });
    expect(missing.isError).toBe(true);
    expect(JSON.stringify(missing.content)).toContain('needs the worktree\'s id');
    await close();
  });
});
