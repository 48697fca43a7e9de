// dispatch_dialogue answered as a task: one background job (its task link's tool is dispatch_dialogue, its shape
// the parties and rounds, its task the topic) that the local worker runs with the dialogue loop, so the dialogue
// outlives this server; tasks/get cuts the stored DialogueResult to the inline size as the synchronous call does.
import { DIALOGUE_TOOL, storedDialogue, type DialogueShape } from '../../jobs/dialogue-job.js';
import type { JobRecord } from '../../jobs/types.js';
import { DispatchError } from '../../shared/errors.js';
import { DEFAULT_INLINE_BYTES, type ViewOptions } from '../../views/dispatch-result.js';
import { cutDialogue } from '../dialogue.js';
import type { ServerDeps } from '../deps.js';
import { toolResult } from '../results.js';
import type { StartedJob } from './start-task.js';
import { answerOf } from './to-task.js';

/** dispatch_dialogue's arguments, as its input schema gives them. */
export interface DialogueArgs {
  requester: string;
  responder: string;
  topic: string;
  max_rounds: number;
}

// The refusals both paths share: the same agent twice, or an agent that cannot be dispatched.
export function checkParties(deps: Pick<ServerDeps, 'catalog'>, args: Pick<DialogueArgs, 'requester' | 'responder'>): void {
  if (args.requester === args.responder) {
    throw new DispatchError('INVALID_INPUT', 'requester and responder must be two different agents.', { hint: 'For a follow-up with one agent, use dispatch_session.' });
  }
  deps.catalog.assertDispatchable(args.requester);
  deps.catalog.assertDispatchable(args.responder);
}

// Start the dialogue's job; a refusal throws the error the synchronous call turns into its isError result.
export async function startDialogueJob(deps: Pick<ServerDeps, 'dispatcher' | 'catalog'>, args: DialogueArgs, principal?: string): Promise<StartedJob> {
  checkParties(deps, args);
  const shape: DialogueShape = { requester: args.requester, responder: args.responder, max_rounds: args.max_rounds };
  // The job's request is the responder's first turn as far as admission goes (agent known, budget left).
  const request = { agent: args.responder, task: args.topic, caller: args.requester };
  const job = await deps.dispatcher.start(request, { task: { tool: DIALOGUE_TOOL, shape: { ...shape }, ...(principal ? { principal } : {}) } });
  return { jobId: job.id, job };
}

// The answer of an ended dialogue job: the synchronous call's, or the failure of a job that ended without one.
export function dialogueAnswer(job: JobRecord, view: ViewOptions) {
  const dialogue = storedDialogue(job);
  if (!dialogue) return answerOf(job, {}, view);
  return toolResult({ ...cutDialogue(dialogue, view.inlineBytes ?? DEFAULT_INLINE_BYTES) });
}
