// Measures what a run changed in a git work tree: a snapshot before (HEAD, dirty paths and their stat
// fingerprints), then after it the diff against that HEAD including the work tree and untracked files, and the
// commits made on top. Outside a work tree the snapshot is undefined and nothing is measured.
import { lstatSync, readFileSync, realpathSync } from 'node:fs';
import { lstat, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { ChangeReport, WorkTreeStatus } from '../../shared/types.js';
import { buildChanges, type UntrackedFile } from './changes.js';
import { gitOk, type GitRunner } from './git.js';
import { parseDiff, parseLog, parseStatus } from './parse.js';

/** The state of a work tree before a run. */
export interface GitSnapshot {
  /** The work tree's top-level directory (every path is relative to it). */
  root: string;
  /** HEAD's oid; undefined on an unborn branch. */
  head?: string;
  /** Dirty paths (tracked changes and untracked files) → stat fingerprint ('' when missing). */
  dirty: Map<string, string>;
  /** The empty tree's oid in this repository's hash format, for diffs from an unborn HEAD. */
  emptyTree: string;
}

const EMPTY_TREE: Record<string, string> = {
  sha1: '4b825dc642cb6eb9a060e54bf8d69288fbee4904',
  sha256: '6ef19b41225c5369f1c104d45d8d85efa9b057b53b14b4b9b939dd74decc5321',
};
const STATUS_ARGS = ['status', '--porcelain=v2', '-z', '--branch', '--untracked-files=all', '--ignore-submodules=none'];
/** Untracked files larger than this count no lines. */
const MAX_READ_BYTES = 16 * 1024 * 1024;
const MAX_COMMITS = 100;

// The work tree's root and hash format, or undefined when dir is not inside a work tree (or is a bare repository).
export async function workTreeRoot(git: GitRunner, dir: string): Promise<{ root: string; format: string } | undefined> {
  const res = await git(dir, ['rev-parse', '--show-toplevel', '--show-object-format']);
  if (res.exitCode !== 0) return undefined;
  const [root, format] = res.stdout.split('\n');
  return root ? { root, format: format || 'sha1' } : undefined;
}

// Read the status a snapshot needs; undefined outside a work tree (a directory with no .git above costs no process).
// The cache gate reads it for its key just before a run, and hands it to the snapshot: one `git status` per run.
export async function readWorkTreeStatus(git: GitRunner, dir: string, env: NodeJS.ProcessEnv = process.env): Promise<WorkTreeStatus | undefined> {
  if (!(env.GIT_DIR || env.GIT_WORK_TREE) && gitEntryAbove(dir) === null) return undefined;
  const res = await git(dir, STATUS_ARGS);
  return res.exitCode === 0 ? { directory: dir, output: res.stdout } : undefined;
}

// The cache key's view of a status read: "<oid>" (or "unborn"), plus "+dirty:<the change records>" when dirty.
export function projectStateOf(output: string): string {
  const records = output.split('\0').filter(Boolean);
  const head = records.find((r) => r.startsWith('# branch.oid '))?.slice('# branch.oid '.length) ?? 'unborn';
  const changes = records.filter((r) => !r.startsWith('#'));
  return changes.length === 0 ? head : `${head}+dirty:${changes.join('\n')}`;
}

// Take the snapshot before a run; undefined outside a git work tree. A directory with no .git above it costs no
// process at all. Usually one `git status` is all: the root is where the .git entry was found (git's own
// discovery), and the hash format follows from HEAD's length. With GIT_DIR or GIT_WORK_TREE set, or on an unborn
// branch, `rev-parse` asks git instead (status paths are relative to the root wherever it runs).
// `read`: the same directory's status read just before (readWorkTreeStatus), used instead of a second `git status`.
export async function takeSnapshot(git: GitRunner, dir: string, env: NodeJS.ProcessEnv = process.env, read?: WorkTreeStatus): Promise<GitSnapshot | undefined> {
  const found = env.GIT_DIR || env.GIT_WORK_TREE ? undefined : gitEntryAbove(dir);
  if (found === null) return undefined;
  const status$ = read?.directory === dir ? { exitCode: 0, stdout: read.output } : git(dir, STATUS_ARGS);
  const [statusRes, asked] = await Promise.all([status$, found === undefined ? workTreeRoot(git, dir) : undefined]);
  if (statusRes.exitCode !== 0) return undefined;
  const status = parseStatus(statusRes.stdout);
  const format = status.head?.length === 64 ? 'sha256' : 'sha1';
  const where = asked ?? (found !== undefined && status.head ? { root: found, format } : await workTreeRoot(git, dir));
  if (!where) return undefined;
  const paths = status.entries.filter((e) => e.kind !== 'ignored').flatMap((e) => (e.from ? [e.path, e.from] : [e.path]));
  return { root: where.root, ...(status.head ? { head: status.head } : {}), dirty: await hashPaths(where.root, paths), emptyTree: EMPTY_TREE[where.format] ?? EMPTY_TREE.sha1! };
}

// Measure the changes since the snapshot (or, with `from`, since that commit, ignoring what was dirty).
export async function measureChanges(git: GitRunner, snapshot: GitSnapshot, options: { from?: string; maxFiles?: number } = {}): Promise<ChangeReport> {
  const from = options.from ?? snapshot.head;
  const root = snapshot.root;
  // Three cheap reads at once: the diff stats the tracked files, ls-files only walks for untracked ones.
  const [diffOut, othersOut, headRes] = await Promise.all([
    gitOk(git, root, ['diff', '--raw', '--numstat', '-z', '-M', '--no-ext-diff', '--no-textconv', from ?? snapshot.emptyTree, '--'], 'diff the work tree'),
    gitOk(git, root, ['ls-files', '-z', '--others', '--exclude-standard'], 'list untracked files'),
    git(root, ['rev-parse', '--verify', '--quiet', 'HEAD']),
  ]);
  const head = headRes.exitCode === 0 ? headRes.stdout.trim() : undefined;
  let commits: { oid: string; subject: string }[] = [];
  if (head && head !== from) {
    const range = from ? [`${from}..${head}`] : [head];
    commits = parseLog(await gitOk(git, root, ['log', '-z', `--max-count=${MAX_COMMITS}`, '--format=%H%x1f%s', ...range, '--'], 'list the new commits'));
  }
  const others = othersOut.split('\0').filter(Boolean);
  const untracked = await Promise.all(others.map((path) => countLines(root, path)));
  const dirtyBefore = options.from ? undefined : snapshot.dirty;
  const dirtyAfter = dirtyBefore && dirtyBefore.size > 0 ? await hashPaths(root, [...dirtyBefore.keys()]) : undefined;
  return buildChanges({
    diff: parseDiff(diffOut),
    untracked: untracked.filter((u): u is UntrackedFile => u !== undefined),
    commits,
    ...(dirtyBefore ? { dirtyBefore } : {}),
    ...(dirtyAfter ? { dirtyAfter } : {}),
    ...(options.maxFiles ? { maxFiles: options.maxFiles } : {}),
  });
}

// The real path of the nearest directory at or above dir that holds a usable .git entry (a directory with HEAD, or
// the `gitdir:` file of a linked worktree or submodule), as git's discovery finds it; null when there is none.
// Synchronous: a few lookups of cached directory entries, on every run, cost less than a trip through the thread
// pool each.
function gitEntryAbove(dir: string): string | null {
  for (let at = resolve(dir); ; at = dirname(at)) {
    try {
      const entry = join(at, '.git');
      const info = lstatSync(entry, { throwIfNoEntry: false });
      if (info?.isDirectory() ? lstatSync(join(entry, 'HEAD'), { throwIfNoEntry: false }) : info?.isFile() && readFileSync(entry, 'utf8').startsWith('gitdir:')) {
        return realpathSync(at);
      }
    } catch {} // ENOTDIR, EACCES: nothing usable here
    if (dirname(at) === at) return null;
  }
}

// Fingerprints of paths ('' for a missing one), to tell whether the run touched a file that was dirty already:
// size, nanosecond mtime and inode from one lstat each, so a dirty tree of thousands of files costs no reads.
async function hashPaths(root: string, paths: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  await Promise.all(
    paths.map(async (path) => {
      try {
        const info = await lstat(join(root, path), { bigint: true });
        out.set(path, `${info.isSymbolicLink() ? 'l' : info.isFile() ? 'f' : 'd'}:${info.size}:${info.mtimeNs}:${info.ino}`);
      } catch {
        out.set(path, '');
      }
    }),
  );
  return out;
}

// Lines of an untracked file as git would count them (binary: a NUL in the first 8000 bytes, no lines).
async function countLines(root: string, path: string): Promise<UntrackedFile | undefined> {
  try {
    const full = join(root, path);
    const info = await lstat(full);
    if (info.isSymbolicLink()) return { path, lines: 1, binary: false };
    if (!info.isFile()) return { path, lines: 0, binary: false };
    if (info.size > MAX_READ_BYTES) return { path, lines: 0, binary: true };
    const data = await readFile(full);
    if (data.subarray(0, 8000).includes(0)) return { path, lines: 0, binary: true };
    let lines = 0;
    for (let at = data.indexOf(10); at >= 0; at = data.indexOf(10, at + 1)) lines += 1;
    if (data.length > 0 && data[data.length - 1] !== 10) lines += 1;
    return { path, lines, binary: false };
  } catch {
    return undefined;
  }
}
