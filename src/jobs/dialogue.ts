// Two agents take turns on a topic until one says [RESOLVED] or the rounds run out.
// Each side keeps its own session, so every turn sees the whole conversation so far. Pure: the dispatch is
// injected (the server's for a synchronous call, the local worker's for a dialogue task).
import type { DispatchOutcome } from './dispatcher.js';
import type { DispatchRequest } from './types.js';

/** One message of the conversation. */
export interface DialogueTurn {
  agent: string;
  role: 'responder' | 'requester';
  round: number;
  message: string;
  success: boolean;
  cost_usd: number;
  job_id: string;
  error_type?: string;
  /** Set when `message` holds only the start of it (fetch_result(job_id) has it all). */
  truncated?: boolean;
}

/** The dialogue's answer. */
export interface DialogueResult {
  resolved: boolean;
  rounds: number;
  total_cost_usd: number;
  total_duration_ms: number;
  final_answer: string;
  conversation: DialogueTurn[];
  error?: string;
}

const MARK = '[RESOLVED]';

// Run the dialogue with an injected dispatch function (the service's, in production).
export async function runDialogue(
  dispatch: (request: DispatchRequest) => Promise<DispatchOutcome>,
  input: { requester: string; responder: string; topic: string; maxRounds: number },
): Promise<DialogueResult> {
  const sessions: Record<'requester' | 'responder', string | undefined> = { requester: undefined, responder: undefined };
  const conversation: DialogueTurn[] = [];
  let cost = 0;
  let duration = 0;
  let lastResponder = '';

  const turn = async (role: 'responder' | 'requester', round: number, task: string): Promise<DialogueTurn> => {
    const agent = role === 'responder' ? input.responder : input.requester;
    const other = role === 'responder' ? input.requester : input.responder;
    const request: DispatchRequest = { agent, task, caller: other, goal: `Resolve together with ${other}: ${input.topic.slice(0, 500)}` };
    const session = sessions[role];
    if (session) request.sessionId = session;
    const { result, jobId } = await dispatch(request);
    if (result.sessionId) sessions[role] = result.sessionId;
    cost += result.costUsd;
    duration += result.durationMs;
    const entry: DialogueTurn = { agent, role, round, message: result.ok ? result.text : (result.error?.message ?? 'failed'), success: result.ok, cost_usd: result.costUsd, job_id: jobId };
    if (result.error) entry.error_type = result.error.type;
    conversation.push(entry);
    return entry;
  };

  const finish = (resolved: boolean, rounds: number, error?: string): DialogueResult => ({
    resolved,
    rounds,
    total_cost_usd: Math.round(cost * 1e6) / 1e6,
    total_duration_ms: Math.round(duration),
    final_answer: lastResponder.replace(MARK, '').trim(),
    conversation,
    ...(error ? { error } : {}),
  });

  let prompt =
    `${input.requester} needs your help with this topic:\n\n${input.topic}\n\n` +
    `Answer it, or ask one precise question if you need more. When the topic is settled, end your message with ${MARK}.`;
  for (let round = 1; round <= input.maxRounds; round++) {
    const answer = await turn('responder', round, prompt);
    if (!answer.success) return finish(false, round, `${input.responder} failed: ${answer.message}`);
    lastResponder = answer.message;
    if (answer.message.includes(MARK)) return finish(true, round);
    const reply = await turn(
      'requester',
      round,
      `${input.responder} replied:\n\n${answer.message}\n\nReply with what they need to know, or end with ${MARK} if this settles the topic.`,
    );
    if (!reply.success) return finish(false, round, `${input.requester} failed: ${reply.message}`);
    if (reply.message.includes(MARK)) return finish(true, round);
    prompt = `${input.requester} replied:\n\n${reply.message}\n\nContinue. End with ${MARK} when the topic is settled.`;
  }
  return finish(false, input.maxRounds);
}
