import { afterAll, describe, expect, it } from 'vitest';
import { renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createGit } from '../../../src/runner/git/git.js';
import { measureChanges, readWorkTreeStatus, takeSnapshot } from '../../../src/runner/git/measure.js';
import { cleanupRepos, GIT_TEST_ENV, makeRepo, tempDir } from './repo.js';

const git = createGit(GIT_TEST_ENV);
afterAll(cleanupRepos);

// What git itself says, in the report's terms: numstat against the starting commit plus untracked files.
function gitView(repo: ReturnType<typeof makeRepo>, from: string) {
  const numstat = repo.git('diff', '--numstat', '-M', from).split('\n').filter(Boolean).map((line) => {
    const [a, d, ...rest] = line.split('\t');
    const path = rest.join('\t').replace(/^(.*)\{(.*) => (.*)\}(.*)$/, '$1$3$4').replace(/^.* => /, '');
    return { path, additions: a === '-' ? 0 : Number(a), deletions: d === '-' ? 0 : Number(d), binary: a === '-' };
  });
  const untracked = repo.git('status', '--porcelain', '--untracked-files=all').split('\n').filter((l) => l.startsWith('?? ')).map((l) => l.slice(3));
  return { numstat, untracked };
}

describe('measureChanges', () => {
  it('matches git diff --numstat and git status exactly: edits, renames, deletions, binaries, untracked and commits', async () => {
    const repo = makeRepo({ 'a.txt': 'one\ntwo\n', 'old name.txt': 'keep\nthese\nlines\n', 'gone.txt': 'x\ny\n', 'img.bin': Buffer.from([0, 1, 2, 3]), 'src/deep.ts': 'let a = 1;\n' });
    const start = repo.git('rev-parse', 'HEAD').trim();
    const snapshot = await takeSnapshot(git, repo.dir);
    expect(snapshot?.head).toBe(start);

    repo.write('a.txt', 'one\nTWO\nthree\n');
    repo.git('mv', 'old name.txt', 'new name.txt');
    rmSync(join(repo.dir, 'gone.txt'));
    repo.write('img.bin', Buffer.from([0, 9, 9]));
    repo.write('notes/new file.md', 'a\nb\nc');
    repo.write('blob.dat', Buffer.from([1, 0, 2]));
    repo.write('src/deep.ts', 'let a = 2;\n');
    repo.commitAll('Change deep');
    repo.write('src/deep.ts', 'let a = 3;\nlet b = 4;\n');
    repo.write('later.txt', 'u\n');

    const report = await measureChanges(git, snapshot!);
    const truth = gitView(repo, start);
    const tracked = report.files.filter((f) => f.status !== 'untracked');
    expect(tracked.map(({ path, additions, deletions, binary }) => ({ path, additions, deletions, binary: binary ?? false }))).toEqual(
      [...truth.numstat].sort((a, b) => (a.path < b.path ? -1 : 1)),
    );
    expect(report.files.filter((f) => f.status === 'untracked').map((f) => f.path)).toEqual(truth.untracked.sort());
    expect(Object.fromEntries(report.files.map((f) => [f.path, f.status]))).toMatchObject({
      'a.txt': 'modified', 'new name.txt': 'renamed', 'gone.txt': 'deleted', 'img.bin': 'modified', 'src/deep.ts': 'modified',
      'notes/new file.md': 'added', 'blob.dat': 'added', 'later.txt': 'untracked',
    });
    expect(report.files.find((f) => f.path === 'new name.txt')?.from).toBe('old name.txt');
    expect(report.files.find((f) => f.path === 'notes/new file.md')).toMatchObject({ additions: 3, deletions: 0 });
    expect(report.commits.map((c) => c.subject)).toEqual(['Change deep']);
    expect(report.diffStat).toMatch(/^8 files changed, \d+ insertions\(\+\), \d+ deletions\(-\), 1 commit$/);
  });

  it('marks files that were dirty before the run and says which ones the run changed further', async () => {
    const repo = makeRepo({ 'user.txt': 'a\n', 'shared.txt': 'a\n', 'agent.txt': 'a\n' });
    repo.write('user.txt', 'a\nuser\n');
    repo.write('shared.txt', 'a\nuser\n');
    repo.write('scratch.txt', 'mine\n');
    const snapshot = await takeSnapshot(git, repo.dir);
    repo.write('shared.txt', 'a\nuser\nagent\n');
    repo.write('agent.txt', 'a\nagent\n');
    const report = await measureChanges(git, snapshot!);
    expect(report.files).toEqual([
      { path: 'agent.txt', status: 'modified', additions: 1, deletions: 0 },
      { path: 'scratch.txt', status: 'untracked', additions: 1, deletions: 0, dirtyBefore: true, changedByRun: false },
      { path: 'shared.txt', status: 'modified', additions: 2, deletions: 0, dirtyBefore: true, changedByRun: true },
      { path: 'user.txt', status: 'modified', additions: 1, deletions: 0, dirtyBefore: true, changedByRun: false },
    ]);
  });

  it('works on an unborn branch, from a subdirectory, and lists a plain move as a deletion plus an untracked file', async () => {
    const empty = makeRepo();
    const snap = await takeSnapshot(git, empty.dir);
    empty.write('first.txt', 'hi\n');
    empty.commitAll('First');
    expect((await measureChanges(git, snap!)).files).toEqual([{ path: 'first.txt', status: 'added', additions: 1, deletions: 0 }]);

    const repo = makeRepo({ 'sub/a.txt': 'a\n' });
    const snapshot = await takeSnapshot(git, join(repo.dir, 'sub'));
    renameSync(join(repo.dir, 'sub/a.txt'), join(repo.dir, 'sub/b.txt'));
    const report = await measureChanges(git, snapshot!);
    expect(report.files.map((f) => `${f.path}:${f.status}`)).toEqual(['sub/a.txt:deleted', 'sub/b.txt:untracked']);
  });

  it('takes the snapshot with one git process, and the same root as git rev-parse, from a subdirectory and a linked worktree', async () => {
    const repo = makeRepo({ 'sub/a.txt': 'a\n' });
    const linked = join(tempDir(), 'linked');
    repo.git('worktree', 'add', '-q', linked);
    for (const dir of [join(repo.dir, 'sub'), linked]) {
      const calls: string[][] = [];
      const snapshot = await takeSnapshot((cwd, args, options) => (calls.push(args), git(cwd, args, options)), dir);
      expect(calls.map((args) => args.find((a) => !a.startsWith('-') && !a.includes('=')))).toEqual(['status']);
      expect(snapshot?.root).toBe(repo.git('-C', dir, 'rev-parse', '--show-toplevel').trim());
    }
  });

  it('reuses a status read of the same directory taken just before (the cache gate\'s), running no git at all', async () => {
    const repo = makeRepo({ 'a.txt': 'a\n' });
    repo.write('b.txt', 'new\n');
    const read = await readWorkTreeStatus(git, repo.dir, {});
    const calls: string[][] = [];
    const spy: typeof git = (cwd, args, options) => (calls.push(args), git(cwd, args, options));
    const reused = await takeSnapshot(spy, repo.dir, {}, read);
    expect(calls).toEqual([]);
    expect(reused).toEqual(await takeSnapshot(git, repo.dir));
    // A read of another directory is not used.
    await takeSnapshot(spy, repo.dir, {}, { directory: tempDir(), output: read!.output });
    expect(calls).toHaveLength(1);
  });

  it('measures nothing outside a git work tree, and nothing in a bare repository', async () => {
    expect(await takeSnapshot(git, tempDir())).toBeUndefined();
    const bare = tempDir();
    makeRepo({}, bare).git('init', '-q', '--bare', join(bare, 'b.git'));
    expect(await takeSnapshot(git, join(bare, 'b.git'))).toBeUndefined();
  });

  it('still measures while another git process holds the index lock', async () => {
    const repo = makeRepo({ 'a.txt': 'a\n' });
    const snapshot = await takeSnapshot(git, repo.dir);
    repo.write('.git/index.lock', '');
    repo.write('a.txt', 'b\n');
    expect((await measureChanges(git, snapshot!)).files).toEqual([{ path: 'a.txt', status: 'modified', additions: 1, deletions: 1 }]);
  });
});
