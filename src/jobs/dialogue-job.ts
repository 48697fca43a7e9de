// A dispatch_dialogue answered as an MCP task runs as one background job of its own (the "dialogue job"), which the
// local worker (or the per-job supervisor) runs with the same loop as the synchronous call: each turn is an
// ordinary synchronous dispatch of this process, with its own job, slot and cost. Why a job that runs the loop and
// not a task group whose next turn is started by whoever sees the last one end: turns depend on each other, and
// a group would advance only while some server polls it (two pollers racing to start the same turn); here the
// loop lives in a process that outlives the server, and the dialogue job's row is the task's whole state.
// The DialogueResult is stored as the job's result `structured`, with the final answer as its text and no cost of
// its own (the turns' jobs carry the cost; counting it twice would spend the daily budget twice).
import type { Logger } from '../shared/log.js';
import type { RunResult } from '../shared/types.js';
import type { DispatchOutcome } from './dispatcher.js';
import { runDialogue, type DialogueResult } from './dialogue.js';
import type { JobStore } from './store/types.js';
import type { DispatchRequest, JobRecord } from './types.js';

/** The tool whose task link marks a dialogue job. */
export const DIALOGUE_TOOL = 'dispatch_dialogue';

/** The dialogue's parties and rounds, kept in the task link's shape (the topic is the job's task). */
export interface DialogueShape {
  requester: string;
  responder: string;
  max_rounds: number;
}

/** What running a dialogue job needs. */
export interface DialogueJobDeps {
  store: JobStore;
  /** A synchronous dispatch of this process (each turn). */
  dispatch: (request: DispatchRequest, options: { signal: AbortSignal; useCache: false }) => Promise<DispatchOutcome>;
  logger: Logger;
  now: () => number;
}

// The dialogue's input from its link's shape, or undefined when the shape is not a dialogue's.
export function dialogueShape(shape: Record<string, unknown>): DialogueShape | undefined {
  const { requester, responder, max_rounds: rounds } = shape;
  if (typeof requester !== 'string' || typeof responder !== 'string' || typeof rounds !== 'number') return undefined;
  return { requester, responder, max_rounds: rounds };
}

// The stored DialogueResult of an ended dialogue job, or undefined (it ended without one: its owner died).
export function storedDialogue(job: Pick<JobRecord, 'result'>): DialogueResult | undefined {
  const value = job.result?.structured as Partial<DialogueResult> | undefined;
  return value && Array.isArray(value.conversation) ? (value as DialogueResult) : undefined;
}

// Run the dialogue job (already claimed by this process) to its end. A cancel of the job stops the running turn's
// agent (its signal) and ends the dialogue there, `cancelled`; `signal` (shutdown) ends it `failed`.
export async function runDialogueJob(deps: DialogueJobDeps, job: JobRecord, input: DialogueShape, signal?: AbortSignal): Promise<RunResult | undefined> {
  const { store } = deps;
  const controller = new AbortController();
  const stop = () => {
    if (store.isCancelRequested(job.id)) controller.abort(new Error('cancelled'));
  };
  const unsubscribe = store.onCancelRequested(job.id, stop);
  const joined = signal ? AbortSignal.any([controller.signal, signal]) : controller.signal;
  try {
    if (!store.markRunning(job.id)) return store.get(job.id).result; // cancelled before it started
    stop(); // a cancel that landed between the claim and the subscription
    const tail: string[] = [];
    const result = await runDialogue(
      (request) => {
        // The task's statusMessage reads the job's progress tail ("beta · turn 3 of the dialogue").
        tail.push(`${request.agent} · turn ${tail.length + 1} of the dialogue`);
        store.saveProgress(job.id, { turns: tail.length, tail: tail.slice(-20), updatedAt: deps.now() });
        return deps.dispatch(request, { signal: joined, useCache: false });
      },
      { requester: input.requester, responder: input.responder, topic: job.request.task, maxRounds: input.max_rounds },
    );
    const cancelled = controller.signal.aborted;
    const status = cancelled ? 'cancelled' : joined.aborted ? 'failed' : 'done';
    const runResult = asRunResult(input.responder, result);
    store.finish(job.id, { status, result: runResult, ...(status === 'done' ? {} : { reason: cancelled ? 'cancelled' : 'stopped by shutdown' }) });
    return runResult;
  } catch (error) {
    const reason = `The dialogue could not run: ${(error as Error).message}`;
    deps.logger.error(`dialogue job ${job.id}: ${reason}`);
    store.finish(job.id, { status: 'failed', reason });
    return undefined;
  } finally {
    unsubscribe();
  }
}

// The dialogue's answer as the job's result.
function asRunResult(responder: string, dialogue: DialogueResult): RunResult {
  return {
    ok: dialogue.error === undefined,
    agent: responder,
    runtime: 'claude',
    text: dialogue.final_answer,
    structured: dialogue,
    costUsd: 0,
    usage: { inputTokens: 0, outputTokens: 0, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 },
    numTurns: dialogue.conversation.length,
    durationMs: dialogue.total_duration_ms,
    permissionDenials: [],
    exitCode: null,
    signal: null,
    stderrTail: '',
  };
}
