// Pure conversions between rows and the public shapes, plus job id handling.
import { randomBytes } from 'node:crypto';
import { DispatchError } from '../../shared/errors.js';
import type { RunResult } from '../../shared/types.js';
import type { DispatchRequest, JobKind, JobProgress, JobRecord, JobStatus } from '../types.js';
import type { JobSummary } from './types.js';

const ID = /^[0-9a-f]{32}$/;

/** Characters of the task kept in the summary column. */
export const TASK_PREVIEW_CHARS = 200;

// A new job id: 32 lowercase hex characters from the OS's random source.
export function newJobId(): string {
  return randomBytes(16).toString('hex');
}

// Validate a caller-supplied id before it reaches SQL; surrounding space and upper case are forgiven.
export function parseJobId(value: unknown): string {
  const id = typeof value === 'string' ? value.trim().toLowerCase() : '';
  if (ID.test(id)) return id;
  const shown = typeof value === 'string' ? JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value) : String(value);
  throw new DispatchError('INVALID_INPUT', `Malformed job id ${shown}: a job id is 32 lowercase hex characters.`, {
    hint: 'Use the job_id returned by dispatch_async (or shown by `agent-dispatch jobs`).',
  });
}

// The short task shown in lists.
export function taskPreview(task: string): string {
  return task.length > TASK_PREVIEW_CHARS ? `${task.slice(0, TASK_PREVIEW_CHARS - 1)}…` : task;
}

/** Summary columns, in the order list() selects them (raw arrays: cheaper than objects, read by name below). */
export const SUMMARY_FIELDS = [
  'id', 'kind', 'status', 'agent', 'caller', 'task', 'created_at', 'started_at', 'ended_at', 'cost_usd', 'ok',
  'error_type', 'turns', 'last_tool', 'last_line', 'cancel_requested', 'failure_reason', 'approvals_pending',
] as const;

/** The same columns as SQL. */
export const SUMMARY_COLUMNS = SUMMARY_FIELDS.join(', ');

type Cell = string | number | null;
type Field = (typeof SUMMARY_FIELDS)[number];
const COLUMN = Object.fromEntries(SUMMARY_FIELDS.map((name, i) => [name, i])) as Record<Field, number>;
const opt = <T>(value: Cell): T | undefined => (value === null ? undefined : (value as T));

// One list() row → JobSummary; absent values are left out rather than set to undefined.
export function toSummary(row: Cell[]): JobSummary {
  const at = (name: Field): Cell => row[COLUMN[name]] ?? null;
  const summary: JobSummary = {
    id: at('id') as string,
    kind: at('kind') as JobKind,
    status: at('status') as JobStatus,
    agent: at('agent') as string,
    caller: at('caller') as string,
    task: at('task') as string,
    createdAt: at('created_at') as number,
    turns: at('turns') as number,
    cancelRequested: at('cancel_requested') === 1,
  };
  const set = <K extends keyof JobSummary>(key: K, value: Cell, as: (v: string | number) => JobSummary[K] = (v) => v as JobSummary[K]) => {
    if (value !== null) summary[key] = as(value);
  };
  set('startedAt', at('started_at'));
  set('endedAt', at('ended_at'));
  set('costUsd', at('cost_usd'));
  set('ok', at('ok'), (v) => v === 1);
  set('errorType', at('error_type'));
  set('lastTool', at('last_tool'));
  set('lastLine', at('last_line'));
  set('failureReason', at('failure_reason'));
  if (((at('approvals_pending') as number | null) ?? 0) > 0) summary.approvalsPending = at('approvals_pending') as number;
  return summary;
}

/** A jobs row joined with its job_data row, as get() reads it. */
export interface JobRow {
  id: string;
  kind: string;
  status: string;
  agent: string;
  caller: string;
  created_at: number;
  started_at: Cell;
  ended_at: Cell;
  owner_pid: Cell;
  owner_started_at: Cell;
  child_pid: Cell;
  cancel_requested: number;
  failure_reason: Cell;
  approvals_pending?: number;
  request: string;
  prompt: Cell;
  prompt_parts: Cell;
  progress: string;
  result: Cell;
}

// A full row → JobRecord.
export function toRecord(row: JobRow): JobRecord {
  const record: JobRecord = {
    id: row.id,
    kind: row.kind as JobKind,
    status: row.status as JobStatus,
    agent: row.agent,
    caller: row.caller,
    request: JSON.parse(row.request) as DispatchRequest,
    createdAt: row.created_at,
    cancelRequested: row.cancel_requested === 1,
    progress: JSON.parse(row.progress) as JobProgress,
  };
  const prompt = opt<string>(row.prompt);
  if (prompt !== undefined) record.prompt = prompt;
  if (row.prompt_parts !== null) record.promptParts = { ...(JSON.parse(row.prompt_parts as string) as object), task: record.request.task };
  if (row.started_at !== null) record.startedAt = row.started_at as number;
  if (row.ended_at !== null) record.endedAt = row.ended_at as number;
  if (row.owner_pid !== null) record.ownerPid = row.owner_pid as number;
  if (row.owner_started_at !== null) record.ownerStartedAt = row.owner_started_at as number;
  if (row.child_pid !== null) record.childPid = row.child_pid as number;
  if (row.result !== null) record.result = JSON.parse(row.result as string) as RunResult;
  if (row.failure_reason !== null) record.failureReason = row.failure_reason as string;
  return record;
}

// Terminal states never change again.
export function isTerminal(status: string): boolean {
  return status === 'done' || status === 'failed' || status === 'cancelled';
}
