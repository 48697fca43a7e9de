// Answering a permission request, from any front end: the caller's elicitation, dispatch_reply, the CLI, the
// dashboard. The answer is recorded first (the first one wins); only a winning "allow always" then adds its rule to
// the agent's allowed_tools, and the recorded answer's note says what happened.
import { ruleFor, type ApprovalAnswer, type ApprovalDecision, type ApprovalRequest } from '../../shared/approvals.js';
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

const NO_RULE = 'allowed once: this command has no allowed_tools rule that matches it alone (it holds *, parentheses or a line break)';

// Refuses an answer given from inside a dispatched agent (depth > 0): the agent whose request waits (or one it
// started) could otherwise allow itself, since its job id is in its environment. People answer; agents do not.
export function refuseAgentAnswer(nested: boolean): void {
  if (nested) {
    throw new DispatchError('INVALID_INPUT', 'Permission requests are answered by a person, not by a dispatched agent: this process runs inside one.', {
      hint: 'Answer from your own session: the elicitation form, `agent-dispatch jobs approve|deny`, or the dashboard.',
    });
  }
}

// Add the rule of a decided "allow always" request to its agent's allowed_tools: the note to record, and the
// decision that stands (allow_once when no exact rule exists or the config could not be edited).
export async function applyAllowAlways(allowAlways: AllowAlways | undefined, request: Pick<ApprovalRequest, 'agent' | 'toolName' | 'input'>): Promise<{ note: string; decision: ApprovalDecision }> {
  const rule = ruleFor(request.toolName, request.input);
  if (rule === undefined) return { note: NO_RULE, decision: 'allow_once' };
  try {
    if (!allowAlways) throw new Error('this process cannot edit the config');
    return { note: await allowAlways(request.agent, rule), decision: 'allow_always' };
  } catch (error) {
    return { note: `allowed once: could not add ${rule} to allowed_tools of agent ${request.agent} (${(error as Error).message})`, decision: 'allow_once' };
  }
}

// Submit a decision for a pending request of a job (the one function every answering path calls). An "allow
// always" is recorded with the rule it is adding, and the config is edited only if that answer won the race.
export async function submitApprovalDecision(deps: AnswerDeps, jobId: string, requestId: string, answer: ApprovalAnswer): Promise<AnswerOutcome> {
  if (answer.decision !== 'allow_always') return deps.store.decideApproval(jobId, requestId, answer);
  const asked = deps.store.approval(jobId, requestId);
  const rule = asked ? ruleFor(asked.toolName, asked.input) : undefined;
  const first = rule === undefined ? { ...answer, decision: 'allow_once' as const, note: NO_RULE } : { ...answer, note: `adding ${rule} to allowed_tools of agent ${asked!.agent}` };
  const outcome = deps.store.decideApproval(jobId, requestId, first);
  if (outcome.outcome !== 'decided' || rule === undefined) return outcome;
  const { note, decision } = await applyAllowAlways(deps.allowAlways, outcome.request);
  return { outcome: 'decided', request: deps.store.amendApproval(jobId, outcome.request.id, { note, decision }) };
}
