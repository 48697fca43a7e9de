// Worktree isolation and what comes after it (merge, discard, keep, retention), on real repositories; the agent's
// work is simulated by writing files, since what is tested here is git's side, not the CLI's.
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createGit } from '../../../src/runner/git/git.js';
import { openWorkspace } from '../../../src/runner/git/workspace.js';
import { createWorktreeManager } from '../../../src/runner/git/manage.js';
import { silentLogger } from '../../../src/shared/log.js';
import type { RunRequest, RunResult } from '../../../src/shared/types.js';
import { agentIn } from '../helpers.js';
import { runResult } from '../../server/fakes.js';
import { cleanupRepos, GIT_TEST_ENV, makeRepo, tempDir } from './repo.js';

const git = createGit(GIT_TEST_ENV);
afterAll(cleanupRepos);

function setup(files: Record<string, string> = { 'README.md': 'hello\n' }) {
  const repo = makeRepo(files);
  const dir = tempDir('ad-worktrees-');
  const manager = createWorktreeManager({ dir, git });
  const request = (patch: Partial<RunRequest> = {}): RunRequest => ({ agent: agentIn(repo.dir, { name: 'alpha' }), task: 't', isolation: 'worktree', ...patch });
  // One isolated "run": open the workspace, let `work` change files in it, finish with a result.
  const run = async (work: (cwd: string) => void, patch: Partial<RunRequest> = {}, jobId = `${Math.random().toString(16).slice(2, 10)}${'0'.repeat(24)}`, result: Partial<RunResult> = {}) => {
    const ws = await openWorkspace({ git, worktreesDir: dir, logger: silentLogger }, request(patch), { jobId });
    work(ws.cwd);
    return ws.finish(runResult({ agent: 'alpha', sessionId: `s-${jobId}`, ...result }));
  };
  return { repo, dir, manager, run, write: writeIn, branches: () => repo.git('branch', '--format=%(refname:short)').split('\n').filter(Boolean).sort() };
}

function writeIn(cwd: string, path: string, content: string): void {
  mkdirSync(dirname(join(cwd, path)), { recursive: true });
  writeFileSync(join(cwd, path), content);
}

describe('worktree isolation', () => {
  it('runs in a fresh worktree on its own branch, outside the repository, and reports changes against the base', async () => {
    const t = setup();
    const result = await t.run((cwd) => t.write(cwd, 'new.txt', 'a\nb\n'), {}, 'abcdef12'.padEnd(32, '0'));
    expect(result.worktree).toEqual({ path: join(t.dir, 'alpha', 'abcdef12'), branch: 'agent-dispatch/abcdef12', base: 'main', baseOid: t.repo.git('rev-parse', 'HEAD').trim() });
    expect(result.changes?.files).toEqual([{ path: 'new.txt', status: 'untracked', additions: 2, deletions: 0 }]);
    expect(existsSync(join(t.repo.dir, 'new.txt'))).toBe(false);
    expect(t.repo.git('status', '--porcelain')).toBe('');
    expect(t.branches()).toEqual(['agent-dispatch/abcdef12', 'main']);
  });

  it('continues a session in the same worktree, and counts earlier runs against the same base', async () => {
    const t = setup();
    const first = await t.run((cwd) => t.write(cwd, 'one.txt', '1\n'), {}, '11111111'.padEnd(32, '0'), { sessionId: 'sess-1' });
    const second = await t.run((cwd) => t.write(cwd, 'two.txt', '2\n'), { isolation: 'none', resumeSessionId: 'sess-1' }, '22222222'.padEnd(32, '0'), { sessionId: 'sess-1' });
    expect(second.worktree?.path).toBe(first.worktree?.path);
    expect(second.changes?.files.map((f) => f.path)).toEqual(['one.txt', 'two.txt']);
  });

  it('does not continue another agent\'s session in its worktree', async () => {
    const t = setup();
    const first = await t.run((cwd) => t.write(cwd, 'one.txt', '1\n'), {}, '33333333'.padEnd(32, '0'), { sessionId: 'sess-x' });
    const other = await t.run(() => {}, { agent: agentIn(t.repo.dir, { name: 'beta' }), resumeSessionId: 'sess-x' }, '44444444'.padEnd(32, '0'));
    expect(other.worktree?.path).not.toBe(first.worktree?.path);
  });

  it('refuses a worktree whose base lacks the agent\'s directory, and leaves no worktree or branch behind', async () => {
    const t = setup();
    const sub = join(t.repo.dir, 'untracked-sub');
    mkdirSync(sub);
    const before = t.branches();
    await expect(openWorkspace({ git, worktreesDir: t.dir, logger: silentLogger }, { agent: agentIn(sub, { name: 'alpha' }), task: 't', isolation: 'worktree' }, { jobId: '55555555'.padEnd(32, '0') })).rejects.toThrow(/not in .*untracked, ignored or absent/);
    expect(t.branches()).toEqual(before);
    expect(t.manager.list()).toEqual([]);
  });

  it('starts from HEAD of a dirty checkout without carrying the user\'s uncommitted changes', async () => {
    const t = setup();
    t.repo.write('README.md', 'user edit\n');
    const result = await t.run(() => {});
    expect(readFileSync(join(result.worktree!.path, 'README.md'), 'utf8')).toBe('hello\n');
    expect(t.manager.list()[0]?.baseDirty).toBe(true);
    expect(readFileSync(join(t.repo.dir, 'README.md'), 'utf8')).toBe('user edit\n');
  });

  it('starts from a detached HEAD, names the base by its commit, and refuses to merge it anywhere', async () => {
    const t = setup();
    const oid = t.repo.git('rev-parse', 'HEAD').trim();
    t.repo.git('checkout', '-q', '--detach');
    const result = await t.run((cwd) => t.write(cwd, 'x.txt', 'x\n'));
    expect(result.worktree?.base).toBe(oid);
    await expect(t.manager.merge(t.manager.list()[0]!.id)).rejects.toThrow(/not a branch/);
  });

  it('starts from base_ref, and refuses a base_ref that does not exist before creating anything', async () => {
    const t = setup();
    t.repo.git('branch', 'feature');
    expect((await t.run(() => {}, { baseRef: 'feature' })).worktree?.base).toBe('feature');
    const before = t.branches();
    await expect(t.run(() => {}, { baseRef: 'no-such-branch' })).rejects.toThrow('base_ref "no-such-branch" does not name a commit');
    await expect(t.run(() => {}, { baseRef: '--upload-pack=evil' })).rejects.toThrow(/is not a branch, tag or commit name/);
    expect(t.branches()).toEqual(before);
    expect(t.manager.list()).toHaveLength(1);
  });

  it('refuses a bare repository, a directory outside git and an unborn branch with clear errors', async () => {
    const t = setup();
    const bare = tempDir();
    t.repo.git('init', '-q', '--bare', join(bare, 'b.git'));
    const isolatedIn = (directory: string) => openWorkspace({ git, worktreesDir: t.dir, logger: silentLogger }, { agent: agentIn(directory), task: 't', isolation: 'worktree' });
    await expect(isolatedIn(join(bare, 'b.git'))).rejects.toThrow(/is a bare git repository/);
    await expect(isolatedIn(tempDir())).rejects.toThrow(/is not inside one/);
    await expect(isolatedIn(makeRepo().dir)).rejects.toThrow(/has no commits yet/);
  });

  it('leaves a submodule unpopulated in the worktree, as git worktree add does (documented)', async () => {
    const lib = makeRepo({ 'lib.txt': 'lib\n' });
    const t = setup();
    t.repo.git('-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', lib.dir, 'vendor/lib');
    t.repo.commitAll('Add submodule');
    const result = await t.run((cwd) => t.write(cwd, 'a.txt', 'a\n'));
    expect(existsSync(join(result.worktree!.path, 'vendor/lib'))).toBe(true);
    expect(existsSync(join(result.worktree!.path, 'vendor/lib/lib.txt'))).toBe(false);
    expect(result.changes?.files.map((f) => f.path)).toEqual(['a.txt']);
  });

  it('says what happened when a worktree was deleted by hand, prunes it, and still lists and discards it', async () => {
    const t = setup();
    const result = await t.run(() => {}, {}, undefined, { sessionId: 'gone-1' });
    rmSync(result.worktree!.path, { recursive: true, force: true });
    await expect(t.run(() => {}, { resumeSessionId: 'gone-1' })).rejects.toThrow(/no longer exists \(deleted by hand\?\)/);
    expect(t.repo.git('worktree', 'list')).not.toContain(result.worktree!.path);
    expect(t.manager.list()[0]?.missing).toBe(true);
    await t.manager.discard(t.manager.list()[0]!.id);
    expect(t.branches()).toEqual(['main']);
  });
});

describe('merge, discard, keep and retention', () => {
  it('fast-forwards the base branch with the agent\'s commits and its uncommitted files, then removes the worktree', async () => {
    const t = setup();
    const result = await t.run((cwd) => t.write(cwd, 'committed.txt', 'c\n'));
    await git(result.worktree!.path, ['add', '-A']);
    await git(result.worktree!.path, ['-c', 'user.name=a', '-c', 'user.email=a@a', 'commit', '-q', '-m', 'Agent commit']);
    t.write(result.worktree!.path, 'loose.txt', 'l\n');
    const id = t.manager.list()[0]!.id;
    const merged = await t.manager.merge(id);
    expect(merged).toMatchObject({ into: 'main', fastForward: true });
    expect(readFileSync(join(t.repo.dir, 'loose.txt'), 'utf8')).toBe('l\n');
    expect(readFileSync(join(t.repo.dir, 'committed.txt'), 'utf8')).toBe('c\n');
    expect(t.repo.git('status', '--porcelain')).toBe('');
    expect(existsSync(result.worktree!.path)).toBe(false);
    expect(t.branches()).toEqual(['main']);
    expect(t.manager.get(id).state).toBe('merged');
  });

  it('makes a merge commit when the base moved on, without conflicts', async () => {
    const t = setup({ 'a.txt': 'a\n', 'b.txt': 'b\n' });
    await t.run((cwd) => t.write(cwd, 'a.txt', 'agent\n'));
    t.repo.write('b.txt', 'user\n');
    t.repo.commitAll('User change');
    const merged = await t.manager.merge(t.manager.list()[0]!.id);
    expect(merged.fastForward).toBe(false);
    expect(t.repo.git('log', '-1', '--format=%s')).toMatch(/^Merge agent-dispatch\//);
    expect(readFileSync(join(t.repo.dir, 'a.txt'), 'utf8')).toBe('agent\n');
    expect(readFileSync(join(t.repo.dir, 'b.txt'), 'utf8')).toBe('user\n');
  });

  it('refuses a conflicting merge and changes nothing, in the checkout or the worktree', async () => {
    const t = setup({ 'a.txt': 'a\n' });
    const result = await t.run((cwd) => t.write(cwd, 'a.txt', 'agent\n'));
    t.repo.write('a.txt', 'user\n');
    const head = t.repo.commitAll('User change');
    const branchTip = t.repo.git('rev-parse', result.worktree!.branch).trim();
    await expect(t.manager.merge(t.manager.list()[0]!.id)).rejects.toThrow(/would conflict in 1 file\(s\): a\.txt\. Nothing was changed\./);
    expect(t.repo.git('rev-parse', 'HEAD').trim()).toBe(head);
    expect(t.repo.git('status', '--porcelain')).toBe('');
    expect(t.repo.git('rev-parse', result.worktree!.branch).trim()).toBe(branchTip);
    expect(readFileSync(join(result.worktree!.path, 'a.txt'), 'utf8')).toBe('agent\n');
  });

  it.each([
    ['the checkout is on another branch', (r: ReturnType<typeof makeRepo>) => r.git('switch', '-q', '-c', 'other'), /is on other, not on main/],
    ['the checkout has uncommitted changes', (r: ReturnType<typeof makeRepo>) => r.write('README.md', 'dirty\n'), /has uncommitted changes/],
    ['the index is locked', (r: ReturnType<typeof makeRepo>) => r.write('.git/index.lock', ''), /index of .* is locked/],
  ])('refuses to merge when %s, and changes nothing', async (_, spoil, message) => {
    const t = setup();
    await t.run((cwd) => t.write(cwd, 'x.txt', 'x\n'));
    spoil(t.repo);
    const head = t.repo.git('rev-parse', 'HEAD').trim();
    await expect(t.manager.merge(t.manager.list()[0]!.id)).rejects.toThrow(message);
    expect(t.repo.git('rev-parse', 'HEAD').trim()).toBe(head);
    expect(existsSync(join(t.repo.dir, 'x.txt'))).toBe(false);
  });

  it('discards a worktree: directory, branch and record', async () => {
    const t = setup();
    const result = await t.run((cwd) => t.write(cwd, 'x.txt', 'x\n'));
    await t.manager.discard(result.worktree!.branch);
    expect(existsSync(result.worktree!.path)).toBe(false);
    expect(t.branches()).toEqual(['main']);
    expect(t.manager.list()).toEqual([]);
    await expect(t.manager.discard('nope')).rejects.toThrow(/No worktree "nope"/);
  });

  it('removes worktrees of runs older than the retention, except kept ones', async () => {
    const t = setup();
    await t.run(() => {});
    await t.run(() => {});
    const [a, b] = t.manager.list();
    t.manager.keep(a!.id);
    const later = createWorktreeManager({ dir: t.dir, git, now: () => Date.now() + 8 * 86_400_000 });
    expect(await later.cleanup(7)).toBe(1);
    expect(later.list().map((r) => r.id)).toEqual([a!.id]);
    expect(existsSync(b!.path)).toBe(false);
    expect(await later.cleanup(0)).toBe(0);
  });

  it('shows the worktree\'s diff against its base, untracked files included', async () => {
    const t = setup();
    await t.run((cwd) => t.write(cwd, 'new.txt', 'fresh line\n'));
    const diff = await t.manager.diff(t.manager.list()[0]!.id);
    expect(diff.text).toContain('+fresh line');
    expect(diff.text).toContain('new.txt');
  });
});
