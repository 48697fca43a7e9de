// Permission requests of running agents (approvals `ask`) and their answers: one row per request, the first answer
// wins, and the job row's approvals_pending count (so lists and the change feed show input_required).
import { randomBytes } from 'node:crypto';
import { APPROVAL_DECISIONS, type ApprovalAnswer, type ApprovalRequest } from '../../shared/approvals.js';
import { DispatchError } from '../../shared/errors.js';
import { nextSeq, type StoreContext } from './context.js';
import { appendEventsInTx } from './events.js';
import { readJob } from './read.js';
import { parseJobId } from './rows.js';
import type { RaiseApprovalInput } from './types.js';

/** Characters kept of a request's input as JSON (the request shown must be the one run: bigger inputs are refused). */
export const MAX_APPROVAL_INPUT_CHARS = 200_000;

interface ApprovalRow {
  job_id: string;
  id: string;
  agent: string;
  tool_name: string;
  input: string;
  tool_use_id: string | null;
  asked_at: number;
  expires_at: number;
  decision: string | null;
  decided_by: string | null;
  how: string | null;
  note: string | null;
  decided_at: number | null;
}

const REQUEST_ID = /^[0-9a-f]{8}$/;

function toRequest(row: ApprovalRow): ApprovalRequest {
  const request: ApprovalRequest = {
    id: row.id,
    jobId: row.job_id,
    agent: row.agent,
    toolName: row.tool_name,
    input: JSON.parse(row.input) as unknown,
    askedAt: row.asked_at,
    expiresAt: row.expires_at,
  };
  if (row.tool_use_id !== null) request.toolUseId = row.tool_use_id;
  if (row.decision !== null) request.decision = row.decision as ApprovalRequest['decision'];
  if (row.decided_by !== null) request.decidedBy = row.decided_by;
  if (row.how !== null) request.how = row.how;
  if (row.note !== null) request.note = row.note;
  if (row.decided_at !== null) request.decidedAt = row.decided_at;
  return request;
}

// Record a request of an active job and add it to the job's timeline.
export function raiseApproval(ctx: StoreContext, rawId: string, input: RaiseApprovalInput): ApprovalRequest {
  const jobId = parseJobId(rawId);
  const json = JSON.stringify(input.input ?? null);
  if (json.length > MAX_APPROVAL_INPUT_CHARS) {
    throw new DispatchError('INVALID_INPUT', `The ${input.toolName} request is larger than ${MAX_APPROVAL_INPUT_CHARS} characters; it cannot be shown whole, so it is denied.`);
  }
  const id = randomBytes(4).toString('hex');
  const now = ctx.now();
  const agent = ctx.conn.write(() => {
    const row = ctx.conn.prepare('SELECT agent, status FROM jobs WHERE id = ?').get(jobId) as { agent: string; status: string } | undefined;
    if (!row) readJob(ctx, jobId);
    if (row!.status !== 'running' && row!.status !== 'pending') throw new DispatchError('INVALID_INPUT', `Job ${jobId} has ended; it cannot ask for approval.`);
    ctx.conn
      .prepare('INSERT INTO approvals (job_id, id, agent, tool_name, input, tool_use_id, asked_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(jobId, id, row!.agent, input.toolName, json, input.toolUseId ?? null, now, input.expiresAt);
    ctx.conn.prepare('UPDATE jobs SET approvals_pending = approvals_pending + 1, seq = ? WHERE id = ?').run(nextSeq(ctx.conn), jobId);
    appendEventsInTx(ctx, jobId, [{ type: 'approval_request', requestId: id, toolName: input.toolName, input: input.input }]);
    return row!.agent;
  });
  ctx.notifier.emit('job', jobId);
  return { id, jobId, agent, toolName: input.toolName, input: JSON.parse(json) as unknown, ...(input.toolUseId ? { toolUseId: input.toolUseId } : {}), askedAt: now, expiresAt: input.expiresAt };
}

// Every request of a job (pendingOnly: those without an answer), oldest first.
export function listApprovals(ctx: StoreContext, rawId: string, pendingOnly = false): ApprovalRequest[] {
  const jobId = parseJobId(rawId);
  const sql = `SELECT * FROM approvals WHERE job_id = ?${pendingOnly ? ' AND decision IS NULL' : ''} ORDER BY asked_at, rowid`;
  return (ctx.conn.prepare(sql).all(jobId) as ApprovalRow[]).map(toRequest);
}

// Answer a request; the first answer wins, later ones get the winning one back.
export function decideApproval(ctx: StoreContext, rawId: string, rawRequestId: string, answer: ApprovalAnswer): { outcome: 'decided' | 'already_decided'; request: ApprovalRequest } {
  const jobId = parseJobId(rawId);
  const requestId = typeof rawRequestId === 'string' ? rawRequestId.trim().toLowerCase() : '';
  if (!REQUEST_ID.test(requestId)) throw new DispatchError('INVALID_INPUT', `Malformed request id ${JSON.stringify(String(rawRequestId).slice(0, 40))}: it is 8 hex characters.`, { hint: 'Use the request_id shown by dispatch_status or `agent-dispatch jobs show ID`.' });
  if (!(APPROVAL_DECISIONS as readonly string[]).includes(answer?.decision)) {
    throw new DispatchError('INVALID_INPUT', `Unknown decision ${JSON.stringify(answer?.decision)}: use ${APPROVAL_DECISIONS.join(', ')}.`);
  }
  const read = () => ctx.conn.prepare('SELECT * FROM approvals WHERE job_id = ? AND id = ?').get(jobId, requestId) as ApprovalRow | undefined;
  const outcome = ctx.conn.write(() => {
    const row = read();
    if (!row) {
      readJob(ctx, jobId);
      throw new DispatchError('INVALID_INPUT', `Job ${jobId} has no permission request ${requestId}.`, { hint: 'See the pending requests with dispatch_status or `agent-dispatch jobs show ID`.' });
    }
    if (row.decision !== null) return 'already_decided' as const;
    const job = ctx.conn.prepare('SELECT status FROM jobs WHERE id = ?').get(jobId) as { status: string };
    if (job.status !== 'running' && job.status !== 'pending') throw new DispatchError('INVALID_INPUT', `Job ${jobId} has ended (${job.status}); its request ${requestId} can no longer be answered.`);
    ctx.conn
      .prepare('UPDATE approvals SET decision = ?, decided_by = ?, how = ?, note = ?, decided_at = ? WHERE job_id = ? AND id = ?')
      .run(answer.decision, answer.decidedBy, answer.how, answer.note ?? null, ctx.now(), jobId, requestId);
    ctx.conn.prepare('UPDATE jobs SET approvals_pending = max(approvals_pending - 1, 0), seq = ? WHERE id = ?').run(nextSeq(ctx.conn), jobId);
    appendEventsInTx(ctx, jobId, [
      { type: 'approval_decision', requestId, toolName: row.tool_name, decision: answer.decision, decidedBy: answer.decidedBy, how: answer.how, ...(answer.note ? { note: answer.note } : {}) },
    ]);
    return 'decided' as const;
  });
  ctx.notifier.emit('job', jobId);
  return { outcome, request: toRequest(read()!) };
}
