// How `agent-dispatch jobs` shows jobs: short ids, the table, one job in detail, progress lines (pure, strings).
import type { JobEvent, JobStore, JobSummary } from '../../jobs/store/types.js';
import type { JobRecord, JobStatus } from '../../jobs/types.js';
import { describeRequest } from '../../shared/approvals.js';
import { displayStatus } from '../../views/approval-view.js';
import { toJobView } from '../../views/job-view.js';
import { checkJobIdShape, pickJobId } from '../../jobs/job-id.js';
import { ProgressTracker } from '../../shared/progress.js';
import { renderFields, renderTable, type Cell, type Style } from '../format.js';
import type { Palette } from '../ui/color.js';
import { cliHint } from '../ui/hint.js';
import { formatCost, formatDuration, localDateTime } from '../ui/text.js';
import { ago } from './list-run.js';

/** Characters of the id shown in tables; any unique prefix of 6 or more is accepted back. */
export const SHORT_ID = 8;

// A full job id from a full id or a unique prefix (6+ hex characters); clear errors otherwise.
export function resolveJobId(store: Pick<JobStore, 'list'>, raw: string): string {
  const text = checkJobIdShape(raw);
  if (text.length === 32) return text;
  return pickJobId(text, store.list({ limit: 100_000 }).map((job) => job.id));
}

const STATUS_STYLE: Record<JobStatus, Style> = { pending: 'dim', running: 'cyan', done: 'green', failed: 'red', cancelled: 'yellow' };

// "done", "failed: timeout", "running".
export function statusText(job: Pick<JobSummary, 'status' | 'errorType' | 'approvalsPending'>): string {
  return job.status === 'failed' && job.errorType ? `failed: ${job.errorType}` : displayStatus(job.status, job.approvalsPending);
}

// Elapsed time of a job: run time once ended, time so far while running, time waited while pending.
function duration(job: Pick<JobSummary, 'createdAt' | 'startedAt' | 'endedAt'>, now: number): string {
  if (job.startedAt === undefined) return job.endedAt === undefined ? `queued ${formatDuration(now - job.createdAt)}` : '-';
  return formatDuration((job.endedAt ?? now) - job.startedAt);
}

// The jobs table.
// Pool jobs (those with a host) get a HOST column after the agent.
export function renderJobTable(jobs: JobSummary[], options: { color: boolean; now: number; maxWidth?: number }): string {
  const hosts = jobs.some((job) => job.host !== undefined);
  const rows = jobs.map((job): Cell[] => [
    { text: job.id.slice(0, SHORT_ID), style: 'dim' },
    { text: statusText(job), style: STATUS_STYLE[job.status] },
    job.agent,
    ...(hosts ? [job.host ?? '-'] : []),
    ago(job.createdAt, options.now),
    duration(job, options.now),
    job.costUsd === undefined ? '-' : formatCost(job.costUsd),
    job.status === 'running' && job.lastLine ? `${job.task} · ${job.lastLine}` : job.task,
  ]);
  return renderTable(['ID', 'STATUS', 'AGENT', ...(hosts ? ['HOST'] : []), 'CREATED', 'TIME', 'COST', 'TASK'], rows, {
    color: options.color,
    flexible: [hosts ? 7 : 6],
    ...(options.maxWidth !== undefined ? { maxWidth: options.maxWidth } : {}),
  });
}

// One summary as JSON (the dispatch_jobs tool's fields, plus a few).
export function summaryJson(job: JobSummary): Record<string, unknown> {
  const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
  return {
    job_id: job.id,
    status: job.status,
    kind: job.kind,
    agent: job.agent,
    caller: job.caller || undefined,
    task: job.task,
    created_at: iso(job.createdAt),
    started_at: iso(job.startedAt),
    completed_at: iso(job.endedAt),
    success: job.ok,
    error_type: job.errorType,
    cost_usd: job.costUsd,
    turns: job.turns,
    last_tool: job.lastTool,
    last_progress: job.lastLine,
    failure_reason: job.failureReason,
    host: job.host,
  };
}

// "16:03:04.120" in local time (the time part of localDateTime's style).
export function clockTime(at: number): string {
  return `${localDateTime(at).slice(11)}.${String(new Date(at).getMilliseconds()).padStart(3, '0')}`;
}

// Timeline lines for stored events ("16:03:04.120  turn 1 · Bash: npm test"), through one tracker.
export function eventLines(events: JobEvent[], tracker = new ProgressTracker(), c?: Palette): string[] {
  const lines: string[] = [];
  for (const e of events) {
    const line = tracker.update(e.event);
    if (line) lines.push(`${c ? c.dim(clockTime(e.at)) : clockTime(e.at)}  ${line}`);
  }
  return lines;
}

const indent = (text: string) => text.replace(/\s+$/, '').split('\n').map((l) => `  ${l}`).join('\n');

// `jobs show`: facts, the prompt, the timeline and the result.
export function renderJob(job: JobRecord, events: { events: JobEvent[]; dropped: number }, c: Palette, now: number): string {
  const r = job.result;
  const fields: [string, string][] = [
    ['status', c[STATUS_STYLE[job.status]](r?.error && r.error.type !== job.status ? `${job.status}: ${r.error.type}` : displayStatus(job.status, job.pendingApprovals?.length))],
    ['agent', job.agent],
    ['kind', job.kind],
  ];
  if (job.caller) fields.push(['caller', job.caller]);
  if (job.host) fields.push(['host', job.host]);
  fields.push(['created', `${localDateTime(job.createdAt)} (${ago(job.createdAt, now)})`]);
  if (job.startedAt !== undefined) fields.push(['time', duration(job, now)]);
  const cost = r?.costUsd ?? job.progress.costUsd;
  if (cost !== undefined) fields.push(['cost', formatCost(cost)]);
  const turns = Math.max(r?.numTurns ?? 0, job.progress.turns);
  if (turns > 0) fields.push(['turns', String(turns)]);
  if (r && (r.usage.inputTokens || r.usage.outputTokens)) fields.push(['tokens', `${r.usage.inputTokens} in, ${r.usage.outputTokens} out`]);
  if (r?.sessionId) fields.push(['session', r.sessionId]);
  if (job.status === 'running' && job.ownerPid) fields.push(['run by', `pid ${job.ownerPid}${job.cancelRequested ? ' (cancel requested)' : ''}`]);
  if (job.failureReason) fields.push(['reason', job.failureReason]);

  const parts = [`${c.bold(`Job ${job.id}`)}\n${renderFields(fields, c.enabled)}`];
  // Approvals: what the agent waits for, exactly as it will run, and how to answer.
  for (const request of job.pendingApprovals ?? []) {
    parts.push(
      `${c.bold(`Input required: request ${request.id}`)} (${request.toolName}; denied at ${localDateTime(request.expiresAt)} if unanswered)\n` +
        `${indent(describeRequest(request.toolName, request.input))}\n` +
        `  ${c.dim('answer:')} agent-dispatch jobs approve ${job.id.slice(0, 8)} ${request.id} [--always]  |  agent-dispatch jobs deny ${job.id.slice(0, 8)} ${request.id}`,
    );
  }
  parts.push(`${c.bold('Prompt')}\n${indent(job.prompt ?? job.request.task)}`);
  const lines = eventLines(events.events, undefined, c);
  const dropped = events.dropped > 0 ? `\n  ${c.dim(`(${events.dropped} older events dropped)`)}` : '';
  // The count is of the lines listed: stored events without a line of their own (results, quiet steps) are not.
  parts.push(`${c.bold(`Events (${lines.length})`)}${dropped}\n${lines.length ? lines.map((l) => `  ${l}`).join('\n') : c.dim('  none yet')}`);
  if (r) {
    const body = r.text.trim() === '' ? c.dim('(no text)') : r.text;
    const hint = r.error?.hint && r.error.type !== 'cancelled' ? `\n  ${c.dim('fix:')} ${cliHint(r.error.hint, r.runtime)}` : '';
    const error = r.error ? `\n  ${c.red(`${r.error.type}:`)} ${r.error.message}${hint}` : '';
    parts.push(`${c.bold('Result')}\n${indent(body)}${error}`);
  }
  return `${parts.join('\n\n')}\n`;
}

// `jobs show --json`: the tool view plus the prompt, the request and the timeline.
export function jobJson(job: JobRecord, events: { events: JobEvent[]; dropped: number }): Record<string, unknown> {
  return {
    ...toJobView(job),
    task: job.request.task,
    request: job.request,
    prompt: job.prompt,
    events: events.events.map((e) => ({ at: new Date(e.at).toISOString(), ...e.event })),
    ...(events.dropped > 0 ? { dropped_events: events.dropped } : {}),
  };
}
