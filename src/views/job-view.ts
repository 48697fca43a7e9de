// Shapes a job record for the job tools: state, live progress, and the result once it is done.
import type { JobRecord } from '../jobs/types.js';
import { toDispatchView, type ViewOptions } from './dispatch-result.js';
import { displayStatus, toApprovalView } from './approval-view.js';

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

// The job as the model sees it; `now` gives the elapsed time of a running job.
export function toJobView(job: JobRecord, now = Date.now(), options: ViewOptions = {}): Record<string, unknown> {
  // `id` is the reference's key; `job_id` matches what every dispatch tool returns.
  const view: Record<string, unknown> = {
    id: job.id,
    job_id: job.id,
    status: displayStatus(job.status, job.pendingApprovals?.length),
    agent: job.agent,
    kind: job.kind,
    task: job.request.task.length > 200 ? `${job.request.task.slice(0, 200)}…` : job.request.task,
    created_at: iso(job.createdAt),
  };
  if (job.caller) view.caller = job.caller;
  if (job.host) view.host = job.host;
  if (job.startedAt !== undefined) {
    view.started_at = iso(job.startedAt);
    view.elapsed_ms = (job.endedAt ?? now) - job.startedAt;
  }
  if (job.endedAt !== undefined) view.completed_at = iso(job.endedAt);
  const p = job.progress;
  if (p.turns || p.lastTool || p.tail.length) {
    view.progress = p.tail.slice(-10);
    view.turns = p.turns;
    if (p.lastTool) view.last_tool = p.lastTool;
    if (p.costUsd !== undefined) view.cost_so_far_usd = p.costUsd;
  }
  if (job.cancelRequested && job.status === 'running') view.cancel_requested = true;
  if (job.failureReason) view.failure_reason = job.failureReason;
  if (job.pendingApprovals?.length) view.pending_requests = job.pendingApprovals.map(toApprovalView);
  if (job.result) view.result = toDispatchView({ jobId: job.id, result: job.result }, options);
  return view;
}
