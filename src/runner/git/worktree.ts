// Makes the fresh git worktree an isolated dispatch runs in: checks the repository and the base first, so a
// bad base_ref or a bare repository fails with a clear error before anything is created or run.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DispatchError } from '../../shared/errors.js';
import { gitOk, type GitRunner } from './git.js';
import type { WorktreeRecord } from './records.js';

/** What createWorktree needs. */
export interface WorktreeRequest {
  agent: string;
  /** The agent's directory (anywhere inside its repository). */
  directory: string;
  /** Names the worktree and its branch `agent-dispatch/<id>`. */
  id: string;
  baseRef?: string;
  /** The worktrees directory; the worktree goes to <dir>/<agent>/<id>. */
  dir: string;
  now: number;
}

/** The source repository as seen from the agent's directory. */
export interface SourceRepo {
  root: string;
  /** The agent directory's place inside the repository ('' or 'sub/dir/'). */
  prefix: string;
}

// The agent's repository: a clear error for a bare repository or a directory outside git. One git call: in a bare
// repository --show-toplevel fails, but --is-bare-repository has printed "true" by then.
export async function sourceRepo(git: GitRunner, directory: string): Promise<SourceRepo> {
  const probe = await git(directory, ['rev-parse', '--is-bare-repository', '--show-toplevel', '--show-prefix']);
  const [bare, root, prefix = ''] = probe.stdout.split('\n');
  if (bare === 'true') {
    throw new DispatchError('GIT_FAILED', `${directory} is a bare git repository: it has no checkout to run an agent in.`, {
      hint: 'Point the agent at a checkout of the repository (git clone / git worktree add), or dispatch with isolation "none".',
    });
  }
  if (probe.exitCode !== 0 || !root) {
    throw new DispatchError('GIT_FAILED', `Worktree isolation needs a git repository, and ${directory} is not inside one.`, {
      hint: 'Run `git init` there and commit, or dispatch with isolation "none".',
    });
  }
  return { root, prefix };
}

// Resolve the base: an oid plus a name (the branch when base_ref or HEAD names one, else the oid).
export async function resolveBase(git: GitRunner, root: string, baseRef: string | undefined): Promise<{ base: string; baseOid: string }> {
  if (baseRef !== undefined && (baseRef === '' || baseRef.startsWith('-') || /[\s\0~^:?*[\\]|\.\.|@\{/.test(baseRef))) {
    throw new DispatchError('INVALID_INPUT', `base_ref ${JSON.stringify(baseRef)} is not a branch, tag or commit name.`, { hint: 'Pass a branch such as main, a tag, or a commit id.' });
  }
  const ref = baseRef ?? 'HEAD';
  const [res, head, branch] = await Promise.all([
    git(root, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]),
    baseRef === undefined ? git(root, ['symbolic-ref', '--short', '-q', 'HEAD']) : undefined,
    baseRef === undefined ? undefined : git(root, ['show-ref', '--verify', '--quiet', `refs/heads/${baseRef}`]),
  ]);
  if (res.exitCode !== 0) {
    if (baseRef === undefined) {
      throw new DispatchError('GIT_FAILED', `The repository at ${root} has no commits yet, so there is nothing to make a worktree from.`, { hint: 'Make a first commit, or dispatch with isolation "none".' });
    }
    throw new DispatchError('INVALID_INPUT', `base_ref "${baseRef}" does not name a commit in ${root}.`, {
      hint: 'Pass an existing branch, tag or commit (see `git branch --list`), or leave base_ref empty to start from HEAD.',
    });
  }
  const baseOid = res.stdout.trim();
  if (branch) return { base: branch.exitCode === 0 ? (baseRef as string) : baseOid, baseOid };
  return { base: head && head.exitCode === 0 && head.stdout.trim() ? head.stdout.trim() : baseOid, baseOid };
}

// Create the worktree on a new branch. The user's checkout is untouched: its uncommitted changes stay there.
export async function createWorktree(git: GitRunner, request: WorktreeRequest): Promise<WorktreeRecord> {
  const source = await sourceRepo(git, request.directory);
  const { base, baseOid } = await resolveBase(git, source.root, request.baseRef);
  let id = request.id;
  for (let n = 2; (await git(source.root, ['show-ref', '--verify', '--quiet', `refs/heads/agent-dispatch/${id}`])).exitCode === 0 || existsSync(join(request.dir, request.agent, id)); n += 1) {
    id = `${request.id}-${n}`;
  }
  const branch = `agent-dispatch/${id}`;
  const path = join(request.dir, request.agent, id);
  // Whether the user's checkout is dirty (their edits are not carried over) is learnt while git checks out.
  const [dirty] = await Promise.all([
    git(source.root, ['diff-index', '--quiet', 'HEAD', '--']),
    gitOk(git, source.root, ['worktree', 'add', '--quiet', '--no-track', '-b', branch, path, baseOid], `create a worktree at ${path}`),
  ]);
  const cwd = source.prefix ? join(path, source.prefix) : path;
  if (!existsSync(cwd)) {
    // The agent's directory is untracked, ignored or absent at the base: running elsewhere would mislead.
    await git(source.root, ['worktree', 'remove', '--force', path]);
    await git(source.root, ['branch', '-D', branch]);
    throw new DispatchError('INVALID_INPUT', `The agent's directory ${source.prefix} is not in ${base} (untracked, ignored or absent there), so a worktree of it has no such directory.`, {
      hint: 'Commit the directory first, pick another base_ref, or dispatch with isolation "none".',
    });
  }
  return {
    id,
    agent: request.agent,
    path,
    cwd,
    branch,
    repo: source.root,
    base,
    baseOid,
    ...(dirty.exitCode === 1 ? { baseDirty: true } : {}),
    createdAt: request.now,
    sessions: [],
    state: 'active',
  };
}

// A recorded worktree whose directory was deleted by hand: prune git's record of it and say what to do.
export async function missingWorktree(git: GitRunner, record: WorktreeRecord): Promise<DispatchError> {
  await git(record.repo, ['worktree', 'prune']);
  return new DispatchError('WORKTREE_NOT_FOUND', `The worktree ${record.id} at ${record.path} no longer exists (deleted by hand?); git's record of it was pruned.`, {
    hint: `Its branch ${record.branch} is kept. Start a new session (no session_id), or discard it: dispatch_worktrees action "discard" id "${record.id}".`,
  });
}
