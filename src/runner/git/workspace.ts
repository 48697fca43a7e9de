// Where a run happens and what it changed: picks the directory (the agent's own checkout, a fresh worktree, or
// the worktree of the session being resumed), snapshots git before the run and adds `changes` (and `worktree`)
// to its result. The runner calls open() before spawning and finish() on every result after.
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { Logger } from '../../shared/log.js';
import type { RunOptions, RunRequest, RunResult } from '../../shared/types.js';
import { measureChanges, takeSnapshot, type GitSnapshot } from './measure.js';
import type { GitRunner } from './git.js';
import { openRecords, type WorktreeRecord } from './records.js';
import { createWorktree, missingWorktree } from './worktree.js';
import { DispatchError } from '../../shared/errors.js';

/** The directory of one run and the step that completes its result. */
export interface Workspace {
  cwd: string;
  finish(result: RunResult): Promise<RunResult>;
}

/** What open() needs. */
export interface WorkspaceDeps {
  git: GitRunner;
  /** Where worktrees and their records live; unset: isolation `worktree` is refused. */
  worktreesDir?: string;
  logger: Logger;
  now?: () => number;
}

// Pick the run's directory (creating a worktree when asked) and snapshot it. Throws DispatchError when
// isolation cannot be honoured; measuring problems are only logged, the run goes on without `changes`.
export async function openWorkspace(deps: WorkspaceDeps, request: RunRequest, options: RunOptions = {}): Promise<Workspace> {
  const now = deps.now ?? Date.now;
  const records = deps.worktreesDir ? openRecords(deps.worktreesDir) : undefined;
  const isolation = request.isolation ?? request.agent.isolation ?? 'none';
  let record: WorktreeRecord | undefined = request.resumeSessionId ? records?.bySession(request.resumeSessionId, request.agent.name) : undefined;
  if (record && !existsSync(record.path)) throw await missingWorktree(deps.git, record);
  // In use again: retention counts from now, so another process's clean-up does not remove it mid-run.
  if (record) records?.save((record = { ...record, usedAt: now() }));
  if (!record && isolation === 'worktree') {
    if (!records || !deps.worktreesDir) throw new DispatchError('INVALID_INPUT', 'Worktree isolation is not available in this process (no state directory).');
    const id = (options.jobId ?? randomBytes(16).toString('hex')).slice(0, 8).toLowerCase();
    record = await createWorktree(deps.git, { agent: request.agent.name, directory: request.agent.directory, id, ...(request.baseRef ? { baseRef: request.baseRef } : {}), dir: deps.worktreesDir, now: now() });
    if (options.jobId) record.jobId = options.jobId;
    records.save(record);
  }
  const cwd = record?.cwd ?? request.agent.directory;
  let snapshot: GitSnapshot | undefined;
  try {
    // A worktree is measured against its base and holds nobody else's edits: no status pass is needed before.
    snapshot = record ? { root: record.path, head: record.baseOid, dirty: new Map(), emptyTree: '' } : await takeSnapshot(deps.git, cwd, undefined, options.workTreeStatus);
  } catch (error) {
    deps.logger.warn(`agent ${request.agent.name}: could not read git state before the run: ${(error as Error).message}`);
  }
  return {
    cwd,
    async finish(result) {
      const out = { ...result };
      if (record) {
        out.worktree = { path: record.path, branch: record.branch, base: record.base, baseOid: record.baseOid };
        const latest = records?.get(record.id) ?? record;
        const sessions = result.sessionId && !latest.sessions.includes(result.sessionId) ? [...latest.sessions, result.sessionId] : latest.sessions;
        records?.save({ ...latest, sessions, finishedAt: now() });
      }
      // A stopped run (cancel, shutdown) ends at once: its final write must land before the process goes.
      if (!snapshot || options.signal?.aborted) return out;
      try {
        out.changes = { ...(await measureChanges(deps.git, snapshot, record ? { from: record.baseOid } : {})), repo: record?.repo ?? snapshot.root };
      } catch (error) {
        deps.logger.warn(`agent ${request.agent.name}: could not measure the run's git changes: ${(error as Error).message}`);
      }
      return out;
    },
  };
}
