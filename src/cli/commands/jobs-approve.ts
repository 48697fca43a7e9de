// The body of `agent-dispatch jobs approve|deny ID [REQUEST]` (defined in jobs.ts): answer a permission request
// of a job whose agent waits (approvals "ask", status input_required). Without REQUEST, the only pending one.
import { DispatchError } from '../../shared/errors.js';
import { requestSummary, type ApprovalDecision } from '../../shared/approvals.js';
import type { CliContext } from '../context.js';
import type { Services } from '../services.js';
import { writeJson } from '../ui/json.js';
import { resolveJobId } from './jobs-view.js';
import { withServices } from './jobs-run.js';

async function answer(ctx: CliContext, services: Services, raw: string, requestId: string | undefined, decision: ApprovalDecision, json: boolean): Promise<void> {
  // In pool mode the job and its requests live in the pool's Redis (the answer carries this user's answer key).
  const pool = services.pool ? await services.pool.pool() : undefined;
  const id = pool ? await pool.resolveId(raw) : resolveJobId(services.store, raw);
  let target = requestId;
  if (target === undefined) {
    const pending = pool ? (await pool.approvals(id)).filter((r) => r.decision === undefined) : services.store.pendingApprovals(id);
    if (pending.length === 0) throw new DispatchError('INVALID_INPUT', `Job ${id} has no permission request waiting for an answer.`, { hint: `See it with: agent-dispatch jobs show ${id}` });
    if (pending.length > 1) {
      throw new DispatchError('INVALID_INPUT', `Job ${id} has ${pending.length} requests waiting: ${pending.map((r) => `${r.id} (${r.toolName})`).join(', ')}.`, { hint: `Name one: agent-dispatch jobs approve ${id} REQUEST` });
    }
    target = pending[0]!.id;
  }
  const { outcome, request } = await services.dispatcher.reply(id, target, { decision, decidedBy: 'cli', how: decision === 'deny' ? 'jobs deny' : 'jobs approve' });
  if (json) return writeJson(ctx.stdout, { job_id: id, request_id: request.id, outcome, decision: request.decision, decided_by: request.decidedBy, ...(request.note ? { note: request.note } : {}) });
  const what = `${request.toolName}: ${requestSummary(request.toolName, request.input)}`;
  ctx.stdout.write(
    outcome === 'decided'
      ? `${request.decision} for request ${request.id} of job ${id} (${what})${request.note ? `; ${request.note}` : ''}.\n`
      : `Request ${request.id} of job ${id} was already answered: ${request.decision} by ${request.decidedBy} (${request.how}).\n`,
  );
}

// Answer one request with the services open for the call.
export const answerRequest = (ctx: CliContext, raw: string, requestId: string | undefined, decision: ApprovalDecision, json: boolean) =>
  withServices(ctx, (s) => answer(ctx, s, raw, requestId, decision, json));
