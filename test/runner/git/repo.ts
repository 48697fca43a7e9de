// Real git repositories for the git tests: made in a temp dir, removed by cleanup().
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const ENV = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t', GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };

/** A test repository. */
export interface TestRepo {
  dir: string;
  git(...args: string[]): string;
  write(path: string, content: string | Buffer): void;
  commitAll(message: string): string;
}

const dirs: string[] = [];

// A temp directory removed by cleanupRepos().
export function tempDir(prefix = 'ad-git-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

// A fresh repository on branch main, with the files committed (none: an unborn branch).
export function makeRepo(files: Record<string, string | Buffer> = {}, dir = tempDir()): TestRepo {
  mkdirSync(dir, { recursive: true });
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env: ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const write = (path: string, content: string | Buffer) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  };
  git('init', '-q', '-b', 'main');
  const repo: TestRepo = {
    dir,
    git,
    write,
    commitAll(message) {
      git('add', '-A');
      git('commit', '-q', '-m', message);
      return git('rev-parse', 'HEAD').trim();
    },
  };
  if (Object.keys(files).length > 0) {
    for (const [path, content] of Object.entries(files)) write(path, content);
    repo.commitAll('initial');
  }
  return repo;
}

/** The environment the repos are made with (identity set, user config ignored). */
export const GIT_TEST_ENV = ENV;

// Remove every temp dir made so far.
export function cleanupRepos(): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}
