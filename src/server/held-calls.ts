// A synchronous dispatch on a 2026-07-28 connection that has to ask its caller (approvals "ask"): the protocol's way
// is a multi-round-trip answer. The call answers `input_required` with the permission form and a `requestState`;
// the client shows the form (Claude Code's and the v2 SDK client's elicitation handler) and calls again with the
// same arguments, `inputResponses` and that `requestState`. Meanwhile the agent keeps running in this process,
// waiting for the answer: the run is *held* here between rounds, keyed by the requestState, and the retried call
// picks it up (answer, then wait for the end or the next question).
//
// A round never comes back (the client gave up, the person walked away): the broker's approval_timeout denies the
// request and the run goes on to its end; the held run is dropped a while after it ended.
import { randomBytes } from 'node:crypto';
import type { CallToolResult, InputRequiredResult } from '@modelcontextprotocol/server';
import type { ApprovalDecision, ApprovalRequest } from '../shared/approvals.js';
import type { RunEvent } from '../shared/types.js';
import { approvalElicitation, decisionOf } from './ask-caller.js';
import type { ProgressSink } from './progress.js';

/** How long a finished run's answer waits for a round that may still come back (only when none was in flight). */
const KEEP_FINISHED_MS = 5 * 60_000;

/** A round waiting in round(): how to wake it, and whether a newer round replaced it. */
interface Round {
  wake(): void;
  superseded: boolean;
}

// The answer of a round that ends without the run's result (the client no longer waits for it).
const endedRound = (text: string): CallToolResult => ({ content: [{ type: 'text', text }], isError: true });

/** One question of the run that the caller has not answered yet. */
interface Question {
  request: ApprovalRequest;
  answer(decision: ApprovalDecision | undefined): void;
}

/** A run held between rounds. */
export interface HeldCall {
  /** The requestState of its rounds. */
  readonly id: string;
  /** Who may continue it: the HTTP principal of the first round (undefined over stdio). */
  readonly owner: string | undefined;
  /** The run's events, for the progress sink of the round in flight (none between rounds). */
  onEvent(event: RunEvent, line?: string): void;
  /** The AskCaller to hand to the dispatch: each request waits for the next round's answer. */
  ask(request: ApprovalRequest, signal: AbortSignal): Promise<ApprovalDecision | undefined>;
  /** The run's answer, shaped as the tool's result (a promise that never rejects). */
  settle(outcome: Promise<CallToolResult>): void;
  /** Give the open questions the answers a retried call brought (keyed by request id); returns how many it answered. */
  answer(responses: Record<string, unknown> | undefined): number;
  /** This round's answer: the run's result once it ends, or `input_required` as soon as a question is open. */
  round(signal: AbortSignal, sink?: Pick<ProgressSink, 'onEvent'>): Promise<CallToolResult | InputRequiredResult>;
}

/** The held runs of this process (one per server process: stdio and HTTP instances share it). */
export interface HeldCalls {
  /** Hold a new run; `onAbandon` stops it (a round was cancelled). */
  create(onAbandon: () => void, owner?: string): HeldCall;
  get(id: string): HeldCall | undefined;
  readonly size: number;
}

// The registry. `now` and timers are the real ones: a held run lives minutes at most.
export function createHeldCalls(): HeldCalls {
  const held = new Map<string, HeldCall>();

  const create = (onAbandon: () => void, owner?: string): HeldCall => {
    const id = randomBytes(16).toString('hex');
    const open = new Map<string, Question>();
    let final: CallToolResult | undefined;
    // The round in flight. A newer round with the same requestState supersedes it (it ends at once, and its own
    // cancel no longer stops the run the newer one serves).
    let current: Round | undefined;
    let sink: Pick<ProgressSink, 'onEvent'> | undefined;
    const call: HeldCall = {
      id,
      owner,
      onEvent: (event, line) => sink?.onEvent(event, line),
      ask(request, signal) {
        return new Promise((resolve) => {
          const done = (decision: ApprovalDecision | undefined) => {
            open.delete(request.id);
            signal.removeEventListener('abort', onAbort);
            resolve(decision);
          };
          // The broker decided otherwise (timeout, the CLI, the dashboard): the question is withdrawn.
          const onAbort = () => done(undefined);
          signal.addEventListener('abort', onAbort, { once: true });
          open.set(request.id, { request, answer: done });
          current?.wake();
        });
      },
      settle(result) {
        void result.then((answer) => {
          final = answer;
          // A round in flight takes the answer now; otherwise the client has yet to come back for it.
          if (current) current.wake();
          else setTimeout(() => held.delete(id), KEEP_FINISHED_MS).unref();
        });
      },
      answer(responses) {
        let answered = 0;
        for (const [key, question] of open) {
          const response = responses?.[key] as { action?: unknown; content?: Record<string, unknown> } | undefined;
          if (!response || typeof response.action !== 'string') continue;
          question.answer(decisionOf(response as { action: string; content?: Record<string, unknown> }));
          answered += 1;
        }
        return answered;
      },
      async round(signal, roundSink) {
        if (current) current.superseded = true;
        current?.wake();
        const me: Round = { wake: () => {}, superseded: false };
        current = me;
        // Cancelling a round cancels the run, as cancelling the one call of a plain dispatch would.
        const onAbort = () => {
          if (!me.superseded) onAbandon();
        };
        signal.addEventListener('abort', onAbort, { once: true });
        sink = roundSink;
        try {
          for (;;) {
            if (me.superseded) return endedRound('A newer round of this call took over; this one ends here.');
            if (final) {
              // Handed out: nothing comes back for it (most calls end here in their first round).
              held.delete(id);
              return final;
            }
            if (open.size > 0) {
              const inputRequests = Object.fromEntries([...open.values()].map((q) => [q.request.id, { method: 'elicitation/create' as const, params: approvalElicitation(q.request) }]));
              return { resultType: 'input_required', inputRequests, requestState: id } as InputRequiredResult;
            }
            await new Promise<void>((resolve) => (me.wake = resolve));
          }
        } finally {
          if (current === me) {
            current = undefined;
            sink = undefined;
          }
          signal.removeEventListener('abort', onAbort);
        }
      },
    };
    held.set(id, call);
    return call;
  };

  return {
    create,
    get: (id) => held.get(id),
    get size() {
      return held.size;
    },
  };
}
