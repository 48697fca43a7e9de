// Permission requests of running agents (approvals `ask`) and their answers: one row per request, the first answer
// wins, and the job row's approvals_pending count (so lists and the change feed show input_required).
import { randomBytes } from 'node:crypto';
import { approvalInputJson, checkAnswer, MAX_PENDING_APPROVALS, normalRequestId, tooManyPending, type ApprovalAnswer, type ApprovalDecision, type ApprovalRequest } from '../../shared/approvals.js';
import { DispatchError } from '../../shared/errors.js';
import { nextSeq, type StoreContext } from './context.js';
import { appendEventsInTx } from './events.js';
import { readJob } from './read.js';
import { parseJobId } from './rows.js';
import type { RaiseApprovalInput } from './types.js';

const parse = (row: { data: string } | undefined) => (row ? (JSON.parse(row.data) as ApprovalRequest) : undefined);

// Record a request of an active job and add it to the job's timeline.
export function raiseApproval(ctx: StoreContext, rawId: string, input: RaiseApprovalInput): ApprovalRequest {
  const jobId = parseJobId(rawId);
  const json = approvalInputJson(input.toolName, input.input);
  const id = randomBytes(4).toString('hex');
  const now = ctx.now();
  const request = ctx.conn.write(() => {
    const row = ctx.conn.prepare('SELECT agent, status, approvals_pending FROM jobs WHERE id = ?').get(jobId) as { agent: string; status: string; approvals_pending: number } | undefined;
    if (!row) readJob(ctx, jobId);
    if (row!.status !== 'running' && row!.status !== 'pending') throw new DispatchError('INVALID_INPUT', `Job ${jobId} has ended; it cannot ask for approval.`);
    if (row!.approvals_pending >= MAX_PENDING_APPROVALS) throw tooManyPending(jobId);
    const request: ApprovalRequest = { id, jobId, agent: row!.agent, toolName: input.toolName, input: JSON.parse(json) as unknown, ...(input.toolUseId ? { toolUseId: input.toolUseId } : {}), askedAt: now, expiresAt: input.expiresAt };
    ctx.conn.prepare('INSERT INTO approvals (job_id, id, data) VALUES (?, ?, ?)').run(jobId, id, JSON.stringify(request));
    ctx.conn.prepare('UPDATE jobs SET approvals_pending = approvals_pending + 1, seq = ? WHERE id = ?').run(nextSeq(ctx.conn), jobId);
    appendEventsInTx(ctx, jobId, [{ type: 'approval_request', requestId: id, toolName: input.toolName, input: input.input }]);
    return request;
  });
  ctx.notifier.emit('job', jobId);
  return request;
}

// Every request of a job (pendingOnly: those without an answer), oldest first.
export function listApprovals(ctx: StoreContext, rawId: string, pendingOnly = false): ApprovalRequest[] {
  const jobId = parseJobId(rawId);
  const sql = `SELECT data FROM approvals WHERE job_id = ?${pendingOnly ? " AND json_extract(data, '$.decision') IS NULL" : ''} ORDER BY json_extract(data, '$.askedAt'), id`;
  return (ctx.conn.prepare(sql).all(jobId) as { data: string }[]).map((row) => parse(row)!);
}

// One request of a job, answered or not; undefined when the job has no such request.
export function readApproval(ctx: StoreContext, rawId: string, rawRequestId: string): ApprovalRequest | undefined {
  const requestId = normalRequestId(rawRequestId);
  if (requestId === undefined) return undefined;
  return parse(ctx.conn.prepare('SELECT data FROM approvals WHERE job_id = ? AND id = ?').get(parseJobId(rawId), requestId) as { data: string } | undefined);
}

// Change the note (and, for an "allow always" whose rule could not be added, the decision) of an answered request.
// A changed decision is added to the timeline; a note alone is not.
export function amendApproval(ctx: StoreContext, rawId: string, requestId: string, change: { note: string; decision: ApprovalDecision }): ApprovalRequest {
  const jobId = parseJobId(rawId);
  const request = ctx.conn.write(() => {
    const row = readApproval(ctx, jobId, requestId);
    if (row?.decision === undefined) throw new DispatchError('INVALID_INPUT', `Job ${jobId} has no answered request ${requestId}.`);
    const amended: ApprovalRequest = { ...row, decision: change.decision, note: change.note };
    ctx.conn.prepare('UPDATE approvals SET data = ? WHERE job_id = ? AND id = ?').run(JSON.stringify(amended), jobId, row.id);
    ctx.conn.prepare('UPDATE jobs SET seq = ? WHERE id = ?').run(nextSeq(ctx.conn), jobId);
    if (change.decision !== row.decision) {
      appendEventsInTx(ctx, jobId, [{ type: 'approval_decision', requestId: row.id, toolName: row.toolName, decision: change.decision, decidedBy: row.decidedBy ?? '', how: row.how ?? '', note: change.note }]);
    }
    return amended;
  });
  ctx.notifier.emit('job', jobId);
  return request;
}

// Answer a request; the first answer wins, later ones get the winning one back.
export function decideApproval(ctx: StoreContext, rawId: string, rawRequestId: string, answer: ApprovalAnswer): { outcome: 'decided' | 'already_decided'; request: ApprovalRequest } {
  const jobId = parseJobId(rawId);
  const requestId = checkAnswer(rawRequestId, answer);
  const read = () => readApproval(ctx, jobId, requestId);
  const outcome = ctx.conn.write(() => {
    const row = read();
    if (!row) {
      readJob(ctx, jobId);
      throw new DispatchError('INVALID_INPUT', `Job ${jobId} has no permission request ${requestId}.`, { hint: 'See the pending requests with dispatch_status or `agent-dispatch jobs show ID`.' });
    }
    if (row.decision !== undefined) return 'already_decided' as const;
    const job = ctx.conn.prepare('SELECT status FROM jobs WHERE id = ?').get(jobId) as { status: string };
    if (job.status !== 'running' && job.status !== 'pending') throw new DispatchError('INVALID_INPUT', `Job ${jobId} has ended (${job.status}); its request ${requestId} can no longer be answered.`);
    const decided: ApprovalRequest = { ...row, decision: answer.decision, decidedBy: answer.decidedBy, how: answer.how, ...(answer.note ? { note: answer.note } : {}), decidedAt: ctx.now() };
    ctx.conn.prepare('UPDATE approvals SET data = ? WHERE job_id = ? AND id = ?').run(JSON.stringify(decided), jobId, requestId);
    ctx.conn.prepare('UPDATE jobs SET approvals_pending = max(approvals_pending - 1, 0), seq = ? WHERE id = ?').run(nextSeq(ctx.conn), jobId);
    appendEventsInTx(ctx, jobId, [
      { type: 'approval_decision', requestId, toolName: row.toolName, decision: answer.decision, decidedBy: answer.decidedBy, how: answer.how, ...(answer.note ? { note: answer.note } : {}) },
    ]);
    return 'decided' as const;
  });
  ctx.notifier.emit('job', jobId);
  return { outcome, request: read()! };
}
