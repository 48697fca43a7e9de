// Answering a permission request, from any front end: the caller's elicitation, dispatch_reply, the CLI, the
// dashboard. "Allow always" first adds the rule to the agent's allowed_tools, and the answer says so.
import { ruleFor, type ApprovalAnswer, type ApprovalRequest } from '../../shared/approvals.js';
import { DispatchError } from '../../shared/errors.js';
import type { JobStore } from '../store/types.js';

/** Adds an allowed_tools rule to an agent through the comment-keeping config editor; returns what it did. */
export type AllowAlways = (agent: string, rule: string) => Promise<string>;

/** What answering needs. */
export interface AnswerDeps {
  store: JobStore;
  allowAlways?: AllowAlways;
}

/** What an answer did. `already_decided`: someone answered first; `request` holds that answer. */
export interface AnswerOutcome {
  outcome: 'decided' | 'already_decided';
  request: ApprovalRequest;
}

// Submit a decision for a pending request of a job (the one function every answering path calls).
export async function submitApprovalDecision(deps: AnswerDeps, jobId: string, requestId: string, answer: ApprovalAnswer): Promise<AnswerOutcome> {
  let final = answer;
  if (answer.decision === 'allow_always') {
    const request = deps.store.approvals(jobId).find((r) => r.id === requestId.trim().toLowerCase());
    if (!request) throw new DispatchError('INVALID_INPUT', `Job ${jobId} has no permission request ${requestId}.`);
    if (request.decision !== undefined) return { outcome: 'already_decided', request };
    const rule = ruleFor(request.toolName, request.input);
    try {
      if (!deps.allowAlways) throw new Error('this process cannot edit the config');
      final = { ...answer, note: await deps.allowAlways(request.agent, rule) };
    } catch (error) {
      final = { ...answer, decision: 'allow_once', note: `allowed once: could not add ${rule} to allowed_tools of agent ${request.agent} (${(error as Error).message})` };
    }
  }
  return deps.store.decideApproval(jobId, requestId, final);
}
