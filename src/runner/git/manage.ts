// After isolated runs: list agent-dispatch's worktrees, merge one into its base branch, keep or discard one,
// and remove expired ones. A merge lands only in the agent's own checkout, only when that checkout is on the
// base branch and clean, and only after `git merge-tree` showed it merges without conflicts.
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DispatchError } from '../../shared/errors.js';
import { gitOk, type GitRunner } from './git.js';
import { openRecords, type WorktreeRecord } from './records.js';

/** A worktree as the list shows it. */
export interface WorktreeEntry extends WorktreeRecord {
  /** The directory is gone (deleted by hand). */
  missing?: true;
}

/** The result of a merge. */
export interface MergeOutcome {
  id: string;
  branch: string;
  into: string;
  /** The base branch's new tip. */
  commit: string;
  fastForward: boolean;
}

/** The worktree operations the tool, the CLI and the dashboard share. */
export interface WorktreeManager {
  list(): WorktreeEntry[];
  get(id: string): WorktreeEntry;
  merge(id: string): Promise<MergeOutcome>;
  discard(id: string): Promise<WorktreeRecord>;
  keep(id: string): WorktreeRecord;
  /** Discard active worktrees whose last run ended more than `days` days ago; returns how many. */
  cleanup(days: number): Promise<number>;
  /** `git diff` of the worktree (work tree included) against its base, capped at maxBytes. */
  diff(id: string, maxBytes?: number): Promise<{ text: string; truncated: boolean }>;
}

const FALLBACK_IDENTITY = { GIT_AUTHOR_NAME: 'agent-dispatch', GIT_AUTHOR_EMAIL: 'agent-dispatch@localhost', GIT_COMMITTER_NAME: 'agent-dispatch', GIT_COMMITTER_EMAIL: 'agent-dispatch@localhost' };

// Build the manager over a worktrees directory.
export function createWorktreeManager(options: { dir: string; git: GitRunner; now?: () => number }): WorktreeManager {
  const { git } = options;
  const now = options.now ?? Date.now;
  const records = openRecords(options.dir);
  const entry = (r: WorktreeRecord): WorktreeEntry => (r.state !== 'merged' && !existsSync(r.path) ? { ...r, missing: true } : r);
  const find = (raw: string): WorktreeRecord => {
    const id = raw.trim().replace(/^agent-dispatch\//, '').toLowerCase();
    const found = records.get(id) ?? (id.length >= 4 ? records.list().find((r) => r.jobId?.startsWith(id)) : undefined);
    if (!found) {
      const known = records.list().map((r) => r.id);
      throw new DispatchError('WORKTREE_NOT_FOUND', `No worktree "${raw}". ${known.length ? `Known: ${known.slice(0, 20).join(', ')}.` : 'agent-dispatch has made none.'}`, {
        hint: 'List them with dispatch_worktrees action "list" (or `agent-dispatch worktrees`).',
      });
    }
    return found;
  };
  // The user's identity when git has one; otherwise commits are made as agent-dispatch.
  const identity = async (cwd: string) => ((await git(cwd, ['var', 'GIT_COMMITTER_IDENT'])).exitCode === 0 ? {} : FALLBACK_IDENTITY);
  const remove = async (r: WorktreeRecord) => {
    if (existsSync(r.path)) await gitOk(git, r.repo, ['worktree', 'remove', '--force', '--force', r.path], `remove the worktree ${r.path}`);
    else await git(r.repo, ['worktree', 'prune']);
    await git(r.repo, ['branch', '-D', '--end-of-options', r.branch]);
  };

  const manager: WorktreeManager = {
    list: () => records.list().map(entry),
    get: (id) => entry(find(id)),

    async merge(raw) {
      const r = find(raw);
      const refuse = (message: string, hint: string) => new DispatchError('MERGE_REFUSED', message, { hint });
      const byHand = `merge by hand in ${r.repo}: git merge ${r.branch}`;
      if (r.state === 'merged') throw refuse(`Worktree ${r.id} was already merged into ${r.base}.`, 'Nothing to do.');
      if ((await git(r.repo, ['show-ref', '--verify', '--quiet', `refs/heads/${r.base}`])).exitCode !== 0) {
        throw refuse(`Worktree ${r.id} was made from ${r.base}, which is not a branch (a detached HEAD or a commit), so there is no branch to merge into.`, `Check out the branch you want and ${byHand}.`);
      }
      const current = (await git(r.repo, ['symbolic-ref', '--short', '-q', 'HEAD'])).stdout.trim();
      if (current !== r.base) {
        throw refuse(`The checkout at ${r.repo} is on ${current || 'a detached HEAD'}, not on ${r.base}; agent-dispatch merges only into the branch that is checked out there.`, `Run \`git switch ${r.base}\` there and retry, or ${byHand}.`);
      }
      const lock = (await gitOk(git, r.repo, ['rev-parse', '--path-format=absolute', '--git-path', 'index.lock'], 'find the index')).trim();
      if (existsSync(lock)) throw refuse(`The index of ${r.repo} is locked (${lock} exists): another git command is running.`, 'Wait for it to finish and retry; if no git process is running, delete the lock file.');
      const dirty = await gitOk(git, r.repo, ['status', '--porcelain', '--untracked-files=no'], 'read the status of the checkout');
      if (dirty.trim() !== '') throw refuse(`The checkout at ${r.repo} has uncommitted changes; merging now could mix them with the agent's.`, 'Commit or stash them, then retry.');
      const env = await identity(r.repo);
      const tip = await commitLeftovers(r, env);
      const probe = await git(r.repo, ['merge-tree', '--write-tree', '--name-only', '--no-messages', 'HEAD', tip]);
      if (probe.exitCode === 1) {
        const files = probe.stdout.split('\n').slice(1).filter(Boolean);
        throw refuse(`Merging ${r.branch} into ${r.base} would conflict in ${files.length} file(s): ${files.slice(0, 20).join(', ')}. Nothing was changed.`, `Resolve it by hand: in ${r.repo}, git merge ${r.branch}; or discard the worktree.`);
      }
      if (probe.exitCode !== 0) throw new DispatchError('GIT_FAILED', `Could not test the merge: ${probe.stderr.trim() || probe.error}`, { hint: 'agent-dispatch needs git 2.38 or later for merges.' });
      // Only now move our own branch to include the uncommitted work: the user's checkout is still untouched.
      if (existsSync(r.path)) {
        await gitOk(git, r.path, ['update-ref', `refs/heads/${r.branch}`, tip], 'record the uncommitted changes');
        await gitOk(git, r.path, ['reset', '-q'], 'refresh the worktree index');
      }
      const before = (await gitOk(git, r.repo, ['rev-parse', 'HEAD'], 'read HEAD')).trim();
      await gitOk(git, r.repo, ['merge', '--no-edit', '-q', '-m', `Merge ${r.branch} (agent ${r.agent})`, '--end-of-options', tip], `merge ${r.branch} into ${r.base}`, { env });
      const after = (await gitOk(git, r.repo, ['rev-parse', 'HEAD'], 'read HEAD')).trim();
      const fastForward = after === tip && before !== tip;
      records.save({ ...r, state: 'merged', finishedAt: r.finishedAt ?? now() });
      await remove(r).catch(() => undefined);
      return { id: r.id, branch: r.branch, into: r.base, commit: after, fastForward };
    },

    async discard(raw) {
      const r = find(raw);
      await remove(r);
      records.remove(r.id);
      return r;
    },

    keep(raw) {
      const r = find(raw);
      const kept: WorktreeRecord = { ...r, state: r.state === 'merged' ? 'merged' : 'kept' };
      records.save(kept);
      return kept;
    },

    async cleanup(days) {
      if (!(days > 0)) return 0;
      const cutoff = now() - days * 86_400_000;
      let removed = 0;
      for (const r of records.list()) {
        const expired = r.state === 'merged' || (r.state === 'active' && Math.max(r.finishedAt ?? r.createdAt, r.usedAt ?? 0) < cutoff);
        if (!expired) continue;
        try {
          if (r.state !== 'merged') await remove(r);
          records.remove(r.id);
          removed += 1;
        } catch {}
      }
      return removed;
    },

    async diff(raw, maxBytes = 256 * 1024) {
      const r = find(raw);
      if (!existsSync(r.path)) return { text: '', truncated: false };
      // Untracked files show up too: intent-to-add marks them in a throwaway index, the worktree's own is untouched.
      const index = join(options.dir, 'records', `.${r.id}.${process.pid}.index`);
      const env = { GIT_INDEX_FILE: index };
      try {
        await gitOk(git, r.path, ['read-tree', 'HEAD'], 'read the worktree', { env });
        await gitOk(git, r.path, ['add', '-A', '--intent-to-add'], 'list untracked files', { env });
        const res = await git(r.path, ['diff', '--no-ext-diff', '--no-textconv', '--no-color', '-M', r.baseOid, '--'], { env, maxBytes: maxBytes + 1 });
        const truncated = Buffer.byteLength(res.stdout) > maxBytes;
        return { text: truncated ? Buffer.from(res.stdout).subarray(0, maxBytes).toString('utf8') : res.stdout, truncated };
      } finally {
        await rm(index, { force: true });
      }
    },
  };

  // The worktree's work including what the agent left uncommitted, as a commit that no ref points at yet.
  async function commitLeftovers(r: WorktreeRecord, env: Record<string, string>): Promise<string> {
    const head = (await gitOk(git, r.repo, ['rev-parse', '--verify', `refs/heads/${r.branch}`], `find the branch ${r.branch}`)).trim();
    if (!existsSync(r.path)) return head;
    const status = await gitOk(git, r.path, ['status', '--porcelain', '--untracked-files=all'], 'read the worktree status');
    if (status.trim() === '') return head;
    const index = join(options.dir, 'records', `.${r.id}.${process.pid}.index`);
    const withIndex = { ...env, GIT_INDEX_FILE: index };
    try {
      await gitOk(git, r.path, ['read-tree', 'HEAD'], 'read the worktree', { env: withIndex });
      await gitOk(git, r.path, ['add', '-A'], 'collect the uncommitted changes', { env: withIndex });
      const tree = (await gitOk(git, r.path, ['write-tree'], 'write the tree', { env: withIndex })).trim();
      return (await gitOk(git, r.path, ['commit-tree', tree, '-p', head, '-m', `Uncommitted changes left by agent ${r.agent} (${r.branch})`], 'commit the uncommitted changes', { env: withIndex })).trim();
    } finally {
      await rm(index, { force: true });
    }
  }

  return manager;
}
