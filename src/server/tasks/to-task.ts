// A job and its task link, seen as an MCP task. Pure: the store reads happen in task-store.ts.
// The extension reserves `failed` for JSON-RPC faults, so a dispatch whose agent failed is `completed` with the
// isError answer a synchronous call returns; a job that ended without any result (its owner died) likewise.
import { DIALOGUE_TOOL } from '../../jobs/dialogue-job.js';
import { failedResult } from '../../jobs/run-failure.js';
import type { TaskLink } from '../../jobs/store/types.js';
import type { JobRecord } from '../../jobs/types.js';
import type { ApprovalRequest } from '../../shared/approvals.js';
import { approvalElicitation } from '../ask-caller.js';
import type { ViewOptions } from '../../views/dispatch-result.js';
import { dispatchAnswer, type AnswerShape } from '../dispatch-answer.js';
import { dialogueAnswer } from './start-dialogue.js';
import { pollIntervalMs } from './poll-interval.js';
import type { DetailedTask, Task } from './types.js';

/** What the mapping needs besides the job. */
export interface TaskViewContext {
  now: number;
  /** settings.job_retention_days (0: jobs are kept forever). */
  retentionDays: number;
  view: ViewOptions;
}

const DAY_MS = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

// The task as tasks/get answers it.
export function toTask(job: JobRecord, link: TaskLink, ctx: TaskViewContext): DetailedTask {
  const task = baseTask(job, ctx);
  switch (job.status) {
    case 'pending':
    case 'running': {
      const asked = { ...outstanding(link), ...approvalQuestions(job.pendingApprovals ?? []) };
      // A run still working on its own is `working`; one waiting for the person shows them its questions.
      if (job.status === 'running' && !job.cancelRequested && Object.keys(asked).length > 0) {
        return { ...task, status: 'input_required', statusMessage: `${job.agent} · waiting for your answer`, inputRequests: asked };
      }
      return { ...task, status: 'working', statusMessage: workingMessage(job), pollIntervalMs: pollIntervalMs(ctx.now - job.createdAt) };
    }
    case 'cancelled':
      return { ...task, status: 'cancelled', statusMessage: `${job.agent} · ${job.failureReason ?? 'cancelled'}` };
    default:
      return { ...task, status: 'completed', statusMessage: `${job.agent} · ${job.status === 'done' ? 'finished' : 'failed'}`, result: link.tool === DIALOGUE_TOOL ? dialogueAnswer(job, ctx.view) : answerOf(job, link.shape, ctx.view) };
  }
}

// The task as the tools/call that started it answers (no result yet, whatever the job did meanwhile).
export function toStartedTask(job: JobRecord, ctx: TaskViewContext): Task {
  return { ...baseTask(job, ctx), status: 'working', statusMessage: workingMessage(job), pollIntervalMs: pollIntervalMs(ctx.now - job.createdAt) };
}

// The same answer a synchronous call gave for this run.
export function answerOf(job: JobRecord, shape: AnswerShape, view: ViewOptions) {
  const result = resultOf(job);
  const cap = shape.max_budget_usd;
  const budgetExceeded = typeof cap === 'number' && result.costUsd > cap;
  return dispatchAnswer({ jobId: job.id, result, ...(budgetExceeded ? { budgetExceeded } : {}) }, shape, view);
}

// The run's result; a job that ended without one gets the failure a synchronous call would have reported.
export function resultOf(job: JobRecord) {
  return job.result ?? failedResult({ name: job.agent, runtime: 'claude' }, { type: 'cli_error', message: `The job ${job.status} without a result: ${job.failureReason ?? 'no agent ran'}.` });
}

// What the agent is doing now, in the words of the synchronous call's progress ("alpha · turn 3 · Bash: npm test").
export function workingMessage(job: JobRecord): string {
  if (job.cancelRequested) return `${job.agent} · cancelling`;
  if (job.status === 'pending') return `${job.agent} · queued (job ${job.id})`;
  return `${job.agent} · ${job.progress.tail.at(-1) ?? 'started'}`;
}

// The questions still waiting for an answer.
export function outstanding(link: Pick<TaskLink, 'inputRequests' | 'inputResponses'>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(link.inputRequests).filter(([key]) => !Object.hasOwn(link.inputResponses, key)));
}

// The agent's permission requests (approvals "ask") as the task's questions: one form elicitation each, keyed by
// the request id, so tasks/update's answer under that key decides that request (task-store.ts).
export function approvalQuestions(pending: readonly ApprovalRequest[]): Record<string, unknown> {
  return Object.fromEntries(pending.map((request) => [request.id, { method: 'elicitation/create', params: approvalElicitation(request) }]));
}

// ttlMs is honest: a finished job is deleted `retentionDays` after it ended (at a server start), so from creation
// that is its run time plus the retention; a working task's end is not known yet, so it counts as ending now.
export function ttlMs(job: Pick<JobRecord, 'createdAt' | 'endedAt'>, now: number, retentionDays: number): number | null {
  if (!(retentionDays > 0)) return null;
  return Math.max(0, (job.endedAt ?? now) - job.createdAt) + retentionDays * DAY_MS;
}

// The task's times and ttl.
export function baseTask(job: JobRecord, ctx: TaskViewContext): Omit<Task, 'status'> {
  const updated = Math.max(job.createdAt, job.startedAt ?? 0, job.progress.updatedAt ?? 0, job.endedAt ?? 0);
  return { taskId: job.id, createdAt: iso(job.createdAt), lastUpdatedAt: iso(updated), ttlMs: ttlMs(job, ctx.now, ctx.retentionDays) };
}
