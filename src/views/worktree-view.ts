// The tools' and the CLI's view of an isolated dispatch's worktree record.
import type { WorktreeRecord } from '../runner/index.js';

// A worktree record in the tools' snake_case.
export function toWorktreeView(r: WorktreeRecord & { missing?: true }): Record<string, unknown> {
  return {
    id: r.id,
    agent: r.agent,
    branch: r.branch,
    base: r.base,
    path: r.path,
    state: r.missing ? 'missing' : r.state,
    created_at: new Date(r.createdAt).toISOString(),
    ...(r.jobId ? { job_id: r.jobId } : {}),
    ...(r.baseDirty ? { base_dirty: true } : {}),
  };
}
