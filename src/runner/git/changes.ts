// Pure: turns what git reported after a run (diff against the starting commit, untracked files, commits) and the
// snapshot taken before it into the run's ChangeReport.
import type { ChangeReport, FileChange } from '../../shared/types.js';
import type { CommitInfo, DiffEntry } from './parse.js';

/** Most files listed in one report; the rest are counted in `omitted`. */
export const DEFAULT_MAX_FILES = 200;

/** An untracked file with its line count (binary files count no lines). */
export interface UntrackedFile {
  path: string;
  lines: number;
  binary: boolean;
}

/** Everything buildChanges reads. */
export interface ChangeInputs {
  diff: DiffEntry[];
  untracked: UntrackedFile[];
  commits: CommitInfo[];
  /** Paths dirty before the run → their fingerprint then ('' when the file did not exist). */
  dirtyBefore?: Map<string, string>;
  /** The same paths → their fingerprint now. */
  dirtyAfter?: Map<string, string>;
  maxFiles?: number;
}

const STATUS: Record<string, FileChange['status']> = { A: 'added', C: 'added', D: 'deleted', R: 'renamed', M: 'modified', T: 'modified', U: 'modified' };

// Build the report: files sorted by path, the user's earlier changes marked, the list capped.
export function buildChanges(input: ChangeInputs): ChangeReport {
  const files: FileChange[] = input.diff.map((d) => ({
    path: d.path,
    status: STATUS[d.letter] ?? 'modified',
    ...(d.letter === 'R' && d.from !== undefined ? { from: d.from } : {}),
    additions: d.additions,
    deletions: d.deletions,
    ...(d.binary ? { binary: true } : {}),
  }));
  for (const u of input.untracked) files.push({ path: u.path, status: 'untracked', additions: u.lines, deletions: 0, ...(u.binary ? { binary: true } : {}) });
  const before = input.dirtyBefore;
  if (before && before.size > 0) {
    for (const file of files) {
      const earlier = [file.path, file.from].find((p) => p !== undefined && before.has(p));
      if (earlier === undefined) continue;
      file.dirtyBefore = true;
      file.changedByRun = before.get(earlier) !== (input.dirtyAfter?.get(earlier) ?? '');
    }
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const max = input.maxFiles ?? DEFAULT_MAX_FILES;
  const report: ChangeReport = { files: files.slice(0, max), commits: input.commits, diffStat: diffStat(files, input.commits.length) };
  if (files.length > max) report.omitted = files.length - max;
  return report;
}

// One line in git's --shortstat words, plus the commit count.
export function diffStat(files: FileChange[], commits: number): string {
  const add = files.reduce((n, f) => n + f.additions, 0);
  const del = files.reduce((n, f) => n + f.deletions, 0);
  const parts = [`${files.length} file${files.length === 1 ? '' : 's'} changed`, `${add} insertion${add === 1 ? '' : 's'}(+)`, `${del} deletion${del === 1 ? '' : 's'}(-)`];
  if (commits > 0) parts.push(`${commits} commit${commits === 1 ? '' : 's'}`);
  return parts.join(', ');
}

// Where dispatch_parallel's overlaps are found (pure; shared, so the server's answer needs no runner at start).
export { findOverlaps } from '../../shared/overlaps.js';
