// Job rows: create, read, state transitions and progress. Reads never write: recovery of jobs whose owner died
// is recoverStale's (run by the dispatch service's sweep) and requestCancel's.
import { DispatchError } from '../../shared/errors.js';
import type { RunEvent } from '../../shared/types.js';
import type { JobProgress, JobRecord } from '../types.js';
import { nextSeq, type StoreContext } from './context.js';
import { appendEventsInTx } from './events.js';
import { finishInTx } from './finish.js';
import type { ProcessRef } from './process.js';
import { readJob } from './read.js';
import { recoverJob } from './recovery.js';
import { isTerminal, newJobId, parseJobId, taskPreview } from './rows.js';
import { takeSlot, type SlotClaim } from './lease-rows.js';
import { insertLinkInTx } from './task-links.js';
import type { CancelRequestOutcome, CreateJobInput, FinishInput } from './types.js';

const KINDS = new Set(['sync', 'async']);
const TERMINAL = new Set(['done', 'failed', 'cancelled']);

// Insert a pending job owned by `owner` (default: this process).
export function createJob(ctx: StoreContext, input: CreateJobInput): JobRecord {
  return createJobWithSlot(ctx, input).job;
}

// Insert a pending job and, when `slot` is given and its pool has room, its lease in the same transaction.
export function createJobWithSlot(ctx: StoreContext, input: CreateJobInput, slot?: Omit<SlotClaim, 'jobId'>): { job: JobRecord; leaseId?: number } {
  const request = input?.request;
  if (!request || typeof request.agent !== 'string' || request.agent.trim() === '' || typeof request.task !== 'string') {
    throw new DispatchError('INVALID_INPUT', 'A job needs a request with a non-empty agent name and a task.');
  }
  if (!KINDS.has(input.kind)) throw new DispatchError('INVALID_INPUT', `Unknown job kind ${JSON.stringify(input.kind)}: use sync or async.`);
  const id = newJobId();
  const now = ctx.now();
  const owner = input.owner ?? ctx.self;
  const progress: JobProgress = { turns: 0, tail: [], updatedAt: now };
  const requestJson = JSON.stringify(request);
  const leaseId = ctx.conn.write(() => {
    ctx.conn
      .prepare(
        `INSERT INTO jobs (id, kind, status, agent, caller, task, created_at, owner_pid, owner_started_at, seq)
         VALUES (?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, input.kind, request.agent, request.caller ?? '', taskPreview(request.task), now, owner.pid, owner.startedAt ?? null, nextSeq(ctx.conn));
    ctx.conn
      .prepare('INSERT INTO job_data (id, request, prompt, prompt_parts, progress) VALUES (?, ?, ?, ?, ?)')
      .run(id, requestJson, input.prompt ?? null, storedParts(input.promptParts), JSON.stringify(progress));
    if (input.task) insertLinkInTx(ctx, id, input.task, now);
    const lease = slot ? takeSlot(ctx, { ...slot, jobId: id }) : undefined;
    // With its slot held, the job is running from the start: one write for create, lease and start.
    if (lease !== undefined) ctx.conn.prepare("UPDATE jobs SET status = 'running', started_at = ? WHERE id = ?").run(now, id);
    return lease;
  });
  ctx.notifier.emit('job', id);
  // The record as written, without reading it back (the request is copied as JSON would).
  const job: JobRecord = {
    id,
    kind: input.kind,
    status: leaseId === undefined ? 'pending' : 'running',
    agent: request.agent,
    caller: request.caller ?? '',
    request: JSON.parse(requestJson) as JobRecord['request'],
    createdAt: now,
    ownerPid: owner.pid,
    cancelRequested: false,
    progress,
  };
  if (owner.startedAt !== undefined) job.ownerStartedAt = owner.startedAt;
  if (leaseId !== undefined) job.startedAt = now;
  if (input.prompt !== undefined) job.prompt = input.prompt;
  return leaseId === undefined ? { job } : { job, leaseId };
}

// The prompt's parts besides the task, as JSON (only those fields: a whole run request may be passed in).
function storedParts(parts: CreateJobInput['promptParts']): string | null {
  if (!parts) return null;
  const { goal, caller, context } = parts;
  return JSON.stringify({ goal, caller, context });
}

// The full record as stored.
export function getJob(ctx: StoreContext, rawId: string): JobRecord {
  return readJob(ctx, rawId);
}

// The full record; an active job whose owner died is failed first (cancel acts anyway, so it may write).
function getJobRecovered(ctx: StoreContext, rawId: string): JobRecord {
  const job = readJob(ctx, rawId);
  if (isTerminal(job.status)) return job;
  const row = { id: job.id, status: job.status, owner_pid: job.ownerPid ?? null, owner_started_at: job.ownerStartedAt ?? null };
  return recoverJob(ctx, row) ? readJob(ctx, job.id) : job;
}

// One conditional update of an active job; emits a change when a row changed.
function update(ctx: StoreContext, id: string, sql: string, params: unknown[], statuses = "'pending', 'running'"): boolean {
  const changed = ctx.conn.write(() => {
    const info = ctx.conn.prepare(`UPDATE jobs SET ${sql}, seq = ? WHERE id = ? AND status IN (${statuses})`).run(...params, nextSeq(ctx.conn), id);
    if (info.changes === 0) assertExists(ctx, id);
    return info.changes > 0;
  });
  if (changed) ctx.notifier.emit('job', id);
  return changed;
}

function assertExists(ctx: StoreContext, id: string): void {
  if (!ctx.conn.prepare('SELECT 1 FROM jobs WHERE id = ?').get(id)) readJob(ctx, id);
}

// Hand a pending job to another process (the detached supervisor).
export function claimJob(ctx: StoreContext, rawId: string, owner: ProcessRef): boolean {
  return update(ctx, parseJobId(rawId), 'owner_pid = ?, owner_started_at = ?', [owner.pid, owner.startedAt ?? null], "'pending'");
}

// pending → running, recording the owner and (if already known) the agent's process.
export function markRunning(ctx: StoreContext, rawId: string, options: { owner?: ProcessRef; childPid?: number } = {}): boolean {
  const owner = options.owner ?? ctx.self;
  return update(
    ctx,
    parseJobId(rawId),
    "status = 'running', started_at = ?, owner_pid = ?, owner_started_at = ?, child_pid = coalesce(?, child_pid)",
    [ctx.now(), owner.pid, owner.startedAt ?? null, options.childPid ?? null],
    "'pending'",
  );
}

// Record the agent's process group once spawned.
export function setChild(ctx: StoreContext, rawId: string, childPid: number): void {
  update(ctx, parseJobId(rawId), 'child_pid = ?', [childPid]);
}

// Save the live snapshot (and events) of an active job; late saves after the end are dropped.
export function saveProgress(ctx: StoreContext, rawId: string, progress: JobProgress, events: readonly RunEvent[] = []): void {
  const id = parseJobId(rawId);
  const changed = ctx.conn.write(() => {
    const info = ctx.conn
      .prepare(
        `UPDATE jobs SET turns = ?, last_tool = ?, last_line = ?, cost_usd = coalesce(?, cost_usd), seq = ?
         WHERE id = ? AND status IN ('pending', 'running')`,
      )
      .run(progress.turns ?? 0, progress.lastTool ?? null, progress.tail?.at(-1) ?? null, progress.costUsd ?? null, nextSeq(ctx.conn), id);
    if (info.changes === 0) {
      assertExists(ctx, id);
      return false;
    }
    ctx.conn.prepare('UPDATE job_data SET progress = ? WHERE id = ?').run(JSON.stringify(progress), id);
    if (events.length > 0) appendEventsInTx(ctx, id, events);
    return true;
  });
  if (changed) ctx.notifier.emit('job', id);
}

// End an active job; false if it was already terminal.
export function finishJob(ctx: StoreContext, rawId: string, input: FinishInput): boolean {
  const id = parseJobId(rawId);
  if (!TERMINAL.has(input?.status)) {
    throw new DispatchError('INVALID_INPUT', `finish() needs a terminal status (done, failed or cancelled), got ${JSON.stringify(input?.status)}.`);
  }
  const changed = ctx.conn.write(() => {
    const done = finishInTx(ctx, id, input);
    if (!done) assertExists(ctx, id);
    return done;
  });
  if (changed) {
    ctx.notifier.emit('job', id);
    ctx.notifier.emit('stop', id);
  }
  return changed;
}

// Cancel a pending job now; flag a running one for its owner, which stops it within a second.
export function requestCancel(ctx: StoreContext, rawId: string): { outcome: CancelRequestOutcome; job: JobRecord } {
  const job = getJobRecovered(ctx, rawId);
  let outcome: CancelRequestOutcome = 'already_terminal';
  if (!isTerminal(job.status)) {
    outcome = ctx.conn.write((): CancelRequestOutcome => {
      const row = ctx.conn.prepare('SELECT status FROM jobs WHERE id = ?').get(job.id) as { status: string } | undefined;
      if (row?.status === 'pending') {
        finishInTx(ctx, job.id, { status: 'cancelled', reason: 'cancelled before it started' });
        return 'cancelled';
      }
      if (row?.status !== 'running') return 'already_terminal';
      ctx.conn.prepare('UPDATE jobs SET cancel_requested = 1, seq = ? WHERE id = ?').run(nextSeq(ctx.conn), job.id);
      return 'requested';
    });
    ctx.notifier.emit('job', job.id);
    ctx.notifier.emit('stop', job.id);
  }
  return { outcome, job: readJob(ctx, job.id) };
}

// True when the job's owner should stop: a cancel was requested, or the job already ended or vanished.
export function isCancelRequested(ctx: StoreContext, rawId: string): boolean {
  const row = ctx.conn.prepare('SELECT status, cancel_requested FROM jobs WHERE id = ?').get(parseJobId(rawId)) as
    | { status: string; cancel_requested: number }
    | undefined;
  return !row || row.cancel_requested === 1 || isTerminal(row.status);
}

// Delete terminal jobs that ended before the cutoff; their bodies and events go with them (ON DELETE CASCADE).
export function gcJobs(ctx: StoreContext, maxAgeDays: number): number {
  if (typeof maxAgeDays !== 'number' || !Number.isFinite(maxAgeDays) || maxAgeDays < 0) {
    throw new DispatchError('INVALID_INPUT', `max_age_days must be a number of days, 0 or more (got ${String(maxAgeDays)}).`);
  }
  const cutoff = ctx.now() - maxAgeDays * 86_400_000;
  const deleted = ctx.conn.write(() => {
    const { changes } = ctx.conn
      .prepare("DELETE FROM jobs WHERE status IN ('done', 'failed', 'cancelled') AND coalesce(ended_at, created_at) <= ?")
      .run(cutoff);
    if (changes > 0) ctx.conn.prepare("UPDATE meta SET value = ? WHERE key = 'gc_seq'").run(nextSeq(ctx.conn));
    // Task groups have no job of their own: they go by age, with the retention of their members.
    ctx.conn.prepare('DELETE FROM mcp_task_groups WHERE created_at <= ?').run(cutoff);
    return changes;
  });
  // An empty id tells change-feed subscribers that rows were deleted.
  if (deleted > 0) ctx.notifier.emit('job', '');
  return deleted;
}
