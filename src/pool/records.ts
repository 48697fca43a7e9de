// A pool job's record: one Redis HASH per job (`ad:job:<id>`) plus its id in the `ad:jobs` index, written by the
// caller (pending) and the worker (running, then done/failed/cancelled). BullMQ moves the job; this is what every
// host reads for `jobs`, `dispatch_status` and the like. The queue URL is never part of it.
import type { Redis } from 'ioredis';
import type { JobSummary } from '../jobs/store/types.js';
import type { DispatchRequest, JobKind, JobRecord, JobStatus } from '../jobs/types.js';
import type { RunResult } from '../shared/types.js';
import type { ProgressSnapshot } from '../shared/progress.js';
import { K } from './keys.js';

/** Fields of the HASH, all strings as Redis keeps them. */
export type RecordFields = Partial<Record<'id' | 'kind' | 'status' | 'agent' | 'caller' | 'task' | 'createdAt' | 'startedAt' | 'endedAt' | 'host' | 'workerId' | 'workerPid' | 'queue' | 'request' | 'prompt' | 'result' | 'progress' | 'failureReason' | 'cost' | 'ok' | 'errorType' | 'cancelRequested' | 'budgetExceeded' | 'onLoss' | 'inputTokens' | 'outputTokens' | 'answerKey' | 'workerKey' | 'approvalsPending', string>>;

/** Terminal states: a record in one of them never changes again. */
export const TERMINAL: readonly JobStatus[] = ['done', 'failed', 'cancelled'];

const EMPTY_PROGRESS: ProgressSnapshot = { turns: 0, tail: [], updatedAt: 0 };

// JSON.parse that yields undefined for a missing or broken field.
function json<T>(text: string | undefined): T | undefined {
  if (text === undefined || text === '') return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

const num = (text: string | undefined) => (text === undefined || text === '' ? undefined : Number(text));

// The status a finished run ends in (the same rule as the local store).
export function statusOf(result: RunResult): JobStatus {
  return result.ok ? 'done' : result.error?.type === 'cancelled' ? 'cancelled' : 'failed';
}

// The fields that close a record with a run's result.
export function finishedFields(result: RunResult, endedAt: number, extra: RecordFields = {}): RecordFields {
  return {
    status: statusOf(result),
    endedAt: String(endedAt),
    result: JSON.stringify(result),
    cost: String(result.costUsd),
    ok: result.ok ? '1' : '0',
    errorType: result.error?.type ?? '',
    inputTokens: String(result.usage.inputTokens),
    outputTokens: String(result.usage.outputTokens),
    ...extra,
  };
}

// A full record as the dispatcher contract shapes it.
export function toJobRecord(f: RecordFields): JobRecord {
  const request = json<DispatchRequest>(f.request) ?? { agent: f.agent ?? '', task: f.task ?? '' };
  const result = json<RunResult>(f.result);
  const job: JobRecord = {
    id: f.id ?? '',
    kind: (f.kind as JobKind) ?? 'sync',
    status: (f.status as JobStatus) ?? 'pending',
    agent: f.agent ?? request.agent,
    caller: f.caller ?? '',
    request,
    createdAt: num(f.createdAt) ?? 0,
    cancelRequested: f.cancelRequested === '1',
    progress: json<ProgressSnapshot>(f.progress) ?? EMPTY_PROGRESS,
  };
  if (f.prompt) job.prompt = f.prompt;
  if (num(f.startedAt) !== undefined) job.startedAt = num(f.startedAt)!;
  if (num(f.endedAt) !== undefined) job.endedAt = num(f.endedAt)!;
  if (result) job.result = result;
  if (f.failureReason) job.failureReason = f.failureReason;
  if (f.host) job.host = f.host;
  return job;
}

// The list row of a record.
export function toSummary(f: RecordFields): JobSummary {
  const progress = json<ProgressSnapshot>(f.progress);
  const summary: JobSummary = {
    id: f.id ?? '',
    kind: (f.kind as JobKind) ?? 'sync',
    status: (f.status as JobStatus) ?? 'pending',
    agent: f.agent ?? '',
    caller: f.caller ?? '',
    task: f.task ?? '',
    createdAt: num(f.createdAt) ?? 0,
    turns: progress?.turns ?? 0,
    cancelRequested: f.cancelRequested === '1',
  };
  if (num(f.startedAt) !== undefined) summary.startedAt = num(f.startedAt)!;
  if (num(f.endedAt) !== undefined) summary.endedAt = num(f.endedAt)!;
  if (num(f.cost) !== undefined) summary.costUsd = num(f.cost)!;
  if (f.ok === '1' || f.ok === '0') summary.ok = f.ok === '1';
  if (f.errorType) summary.errorType = f.errorType;
  if (progress?.lastTool) summary.lastTool = progress.lastTool;
  if (progress?.tail.length) summary.lastLine = progress.tail.at(-1);
  if (f.failureReason) summary.failureReason = f.failureReason;
  if (f.host) summary.host = f.host;
  if (Number(f.approvalsPending ?? 0) > 0) summary.approvalsPending = Number(f.approvalsPending);
  return summary;
}

// Read one record; undefined when there is none.
export async function readRecord(redis: Redis, id: string): Promise<RecordFields | undefined> {
  const fields = (await redis.hgetall(K.job(id))) as RecordFields;
  return fields.id === undefined ? undefined : fields;
}

// Close a record unless it is already terminal (a cancel or a failover may have closed it first), and tell the
// waiters in the same round trip: the message carries the closing fields, so a waiting dispatch needs no re-read.
// Returns whether it wrote.
const CLOSE_SCRIPT = `
local s = redis.call('HGET', KEYS[1], 'status')
if s == false or s == 'done' or s == 'failed' or s == 'cancelled' then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV, 3))
redis.call('PUBLISH', ARGV[1], ARGV[2])
return 1`;

/** What a job's channel says when the job ends: its status and the fields that closed it. */
export interface EndMessage {
  end: string;
  fields?: RecordFields;
}

// Write terminal fields atomically (only the first ending wins) and tell the waiters.
export async function closeRecord(redis: Redis, id: string, fields: RecordFields): Promise<boolean> {
  const args = Object.entries(fields).flatMap(([k, v]) => [k, v ?? '']);
  const message: EndMessage = { end: fields.status ?? 'failed', fields };
  return (await redis.eval(CLOSE_SCRIPT, 1, K.job(id), K.jobChannel(id), JSON.stringify(message), ...args)) === 1;
}
