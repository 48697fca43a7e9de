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

/** Summary columns, in the order list() selects them (raw arrays: cheaper than objects). */
export const SUMMARY_COLUMNS =
  'id, kind, status, agent, caller, task, created_at, started_at, ended_at, cost_usd, ok, error_type, turns, last_tool, last_line, cancel_requested, failure_reason';

type Cell = string | number | null;
const opt = <T>(value: Cell): T | undefined => (value === null ? undefined : (value as T));

// One list() row → JobSummary; absent values are left out rather than set to undefined.
export function toSummary(row: Cell[]): JobSummary {
  const summary: JobSummary = {
    id: row[0] as string,
    kind: row[1] as JobKind,
    status: row[2] as JobStatus,
    agent: row[3] as string,
    caller: row[4] as string,
    task: row[5] as string,
    createdAt: row[6] as number,
    turns: row[12] as number,
    cancelRequested: row[15] === 1,
  };
  if (row[7] !== null) summary.startedAt = row[7] as number;
  if (row[8] !== null) summary.endedAt = row[8] as number;
  if (row[9] !== null) summary.costUsd = row[9] as number;
  if (row[10] !== null) summary.ok = row[10] === 1;
  if (row[11] !== null) summary.errorType = row[11] as string;
  if (row[13] !== null) summary.lastTool = row[13] as string;
  if (row[14] !== null) summary.lastLine = row[14] as string;
  if (row[16] !== null) summary.failureReason = row[16] as string;
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
