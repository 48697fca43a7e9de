import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gitProjectState, parseGitStatus } from '../../src/jobs/project-state.js';

const root = mkdtempSync(join(tmpdir(), 'ad-git-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const git = (dir: string, ...args: string[]) =>
  execFileSync('git', ['-C', dir, '-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { stdio: 'ignore' });

describe('parseGitStatus', () => {
  it.each([
    ['# branch.oid abc\n# branch.head main\n', 'abc'],
    ['# branch.oid (initial)\n? new.txt\n', '(initial)+dirty:? new.txt'],
    ['', 'unborn'],
  ])('%j → %s', (stdout, state) => expect(parseGitStatus(stdout)).toBe(state));
});

describe('gitProjectState', () => {
  it('carries the status read it came from, in the form the run snapshot reads', async () => {
    const repo = mkdtempSync(join(root, 'repo-'));
    git(repo, 'init', '-q');
    writeFileSync(join(repo, 'new.txt'), 'x');
    const state = await gitProjectState(repo);
    expect(state?.status?.directory).toBe(repo);
    expect(state?.status?.output).toContain('? new.txt\0');
    expect(state?.key).toBe('(initial)+dirty:? new.txt');
  });

  it('is undefined outside a git work tree', async () => {
    const plain = mkdtempSync(join(root, 'plain-'));
    expect(await gitProjectState(plain)).toBeUndefined();
  });

  it('changes with a new commit and with uncommitted edits, so the cache never answers for a changed project', async () => {
    const repo = mkdtempSync(join(root, 'repo-'));
    git(repo, 'init', '-q');
    writeFileSync(join(repo, 'a.txt'), 'one');
    git(repo, 'add', '.');
    git(repo, 'commit', '-qm', 'one');
    const clean = (await gitProjectState(repo))?.key;
    expect(clean).toMatch(/^[0-9a-f]{40}$/);
    writeFileSync(join(repo, 'a.txt'), 'two');
    const dirty = (await gitProjectState(repo))?.key;
    expect(dirty).toMatch(/\+dirty:/);
    expect(dirty).not.toBe(clean);
    git(repo, 'commit', '-qam', 'two');
    const next = (await gitProjectState(repo))?.key;
    expect(next).not.toBe(clean);
    expect(next).not.toMatch(/dirty/);
  });
});
