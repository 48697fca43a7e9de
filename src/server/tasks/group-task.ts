// A task group (dispatch_parallel answered as a task) seen as one MCP task. Pure: task-store.ts reads the members'
// jobs. It is `working` until every member ended, then `completed` with the answer the synchronous call returns,
// assembled here from the members' results; `cancelled` when a member was cancelled.
import type { TaskGroup } from '../../jobs/store/types.js';
import type { JobRecord } from '../../jobs/types.js';
import { DispatchError } from '../../shared/errors.js';
import type { ChangeReport } from '../../shared/types.js';
import { itemView, parallelPayload, refusedItem } from '../parallel-result.js';
import { toolResult } from '../results.js';
import { pollIntervalMs } from './poll-interval.js';
import { resultOf, ttlMs, type TaskViewContext } from './to-task.js';
import type { DetailedTask, Task } from './types.js';

const ENDED = new Set(['done', 'failed', 'cancelled']);
const iso = (ms: number) => new Date(ms).toISOString();

/** A member's job as read now: the record, or undefined when the job is gone (deleted by gc). */
export type MemberJob = JobRecord | undefined;

// The group as tasks/get answers it; `jobs[i]` is member i's job (undefined for a refused item or a deleted job).
export function toGroupTask(group: TaskGroup, jobs: readonly MemberJob[], ctx: TaskViewContext): DetailedTask {
  const running = group.members.map((m, i) => (m.jobId ? jobs[i] : undefined)).filter((j): j is JobRecord => j !== undefined && !ENDED.has(j.status));
  const ended = group.members.length - running.length;
  const times = jobs.flatMap((j) => (j ? [j.createdAt, j.startedAt ?? 0, j.progress.updatedAt ?? 0, j.endedAt ?? 0] : []));
  const endedAt = running.length === 0 ? Math.max(group.createdAt, ...jobs.map((j) => j?.endedAt ?? 0)) : undefined;
  const base: Omit<Task, 'status'> = {
    taskId: group.id,
    createdAt: iso(group.createdAt),
    lastUpdatedAt: iso(Math.max(group.createdAt, ...times)),
    ttlMs: ttlMs({ createdAt: group.createdAt, ...(endedAt !== undefined ? { endedAt } : {}) }, ctx.now, ctx.retentionDays),
  };
  const count = `${ended}/${group.members.length} done`;
  if (running.length > 0) {
    return { ...base, status: 'working', statusMessage: `${count} · ${memberMessage(running)}`, pollIntervalMs: pollIntervalMs(ctx.now - group.createdAt) };
  }
  if (jobs.some((j) => j?.status === 'cancelled')) return { ...base, status: 'cancelled', statusMessage: `${count} · cancelled` };
  return { ...base, status: 'completed', statusMessage: `${count} · finished`, result: groupAnswer(group, jobs, ctx) };
}

// The answer of a group whose members all ended: the synchronous dispatch_parallel's, item for item.
export function groupAnswer(group: TaskGroup, jobs: readonly MemberJob[], ctx: Pick<TaskViewContext, 'view'>) {
  const changes: (ChangeReport | undefined)[] = [];
  const results = group.members.map((member, index) => {
    if (member.answer) return member.answer;
    const job = jobs[index];
    if (!job) return refusedItem(member.agent, new DispatchError('JOB_NOT_FOUND', `The job ${member.jobId ?? '?'} of this item is no longer stored.`));
    const result = resultOf(job);
    changes[index] = result.changes;
    return itemView(member.shape, { jobId: job.id, result }, ctx.view);
  });
  return toolResult(parallelPayload(results, changes));
}

// What the first running member does ("beta: turn 2 · Bash"), or that they wait for a slot.
function memberMessage(running: readonly JobRecord[]): string {
  const first = running.find((j) => j.status === 'running');
  if (first?.cancelRequested) return 'cancelling';
  if (!first) return `${running.length} queued`;
  return `${first.agent}: ${first.progress.tail.at(-1) ?? 'started'}`;
}
