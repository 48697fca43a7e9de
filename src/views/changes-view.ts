// The git measurements of a run (issue 19) in the tools' snake_case: files_changed, commits, diff_stat, worktree.
import type { ChangeReport, FileChange, WorktreeInfo } from '../shared/types.js';

/** One changed file as a tool result lists it. */
export interface FileChangeView {
  path: string;
  status: FileChange['status'];
  from?: string;
  additions: number;
  deletions: number;
  binary?: true;
  dirty_before?: true;
  changed_by_run?: boolean;
}

/** The fields a run's git measurements add to its view. */
export interface ChangesView {
  files_changed?: FileChangeView[];
  files_omitted?: number;
  commits?: { oid: string; subject: string }[];
  diff_stat?: string;
  worktree?: { path: string; branch: string; base: string };
}

// The view fields for a run's changes and worktree (none when the run measured nothing).
export function toChangesView(changes: ChangeReport | undefined, worktree: WorktreeInfo | undefined): ChangesView {
  const view: ChangesView = {};
  if (changes) {
    view.files_changed = changes.files.map((f) => ({
      path: f.path,
      status: f.status,
      ...(f.from !== undefined ? { from: f.from } : {}),
      additions: f.additions,
      deletions: f.deletions,
      ...(f.binary ? { binary: true as const } : {}),
      ...(f.dirtyBefore ? { dirty_before: true as const, changed_by_run: f.changedByRun ?? false } : {}),
    }));
    if (changes.omitted) view.files_omitted = changes.omitted;
    if (changes.commits.length > 0) view.commits = changes.commits;
    view.diff_stat = changes.diffStat;
  }
  if (worktree) view.worktree = { path: worktree.path, branch: worktree.branch, base: worktree.base };
  return view;
}
