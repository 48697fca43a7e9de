// The end of a run, as the Codex, Gemini and OpenCode adapters share it: the exit facts their failure
// classification reads, the budget check of a finished answer, and the AdapterOutcome they all assemble.
import type { PermissionDenial, TokenUsage } from '../shared/types.js';
import type { AdapterOutcome, ParserContext, ProcessExit, RunFailure, StopReason } from './adapter.js';
import { budgetFailure, parseJsonAnswer, type FailureNames } from './runtime-support.js';

/** How a run ended and what it cost: the part of a classification input that is the same for every runtime. */
export interface ExitFacts {
  exitCode: number | null;
  signal: string | null;
  stderr: string;
  reason?: StopReason;
  costUsd: number;
  maxBudgetUsd?: number;
}

// The exit facts of a finished process, with the agent's budget cap.
export function exitFacts(exit: ProcessExit, ctx: ParserContext, costUsd: number): ExitFacts {
  const { maxBudgetUsd } = ctx.request.agent;
  return { exitCode: exit.exitCode, signal: exit.signal, stderr: exit.stderrTail, costUsd, ...(exit.reason ? { reason: exit.reason } : {}), ...(maxBudgetUsd === undefined ? {} : { maxBudgetUsd }) };
}

// What the failure messages of this run name.
export function failureNames(ctx: ParserContext, cli: string, sessionId: string | undefined): FailureNames {
  return { agent: ctx.request.agent.name, cli, timeoutSeconds: ctx.timeoutSeconds, ...(sessionId ? { sessionId } : {}) };
}

// A run that finished its answer: fine, unless its cost (known only at the end) passed the cap.
export function finishedFailure(facts: ExitFacts, names: FailureNames): RunFailure | undefined {
  const over = facts.maxBudgetUsd !== undefined && facts.maxBudgetUsd > 0 && facts.costUsd > facts.maxBudgetUsd;
  return over ? budgetFailure(names, facts.costUsd, facts.maxBudgetUsd as number, false) : undefined;
}

/** What an adapter saw of a run, for its outcome. */
export interface RunSummary {
  text: string;
  sessionId: string | undefined;
  costUsd: number;
  usage: TokenUsage;
  numTurns: number;
  permissionDenials: PermissionDenial[];
  /** The CLI reported a complete answer (only then is it parsed for a requested JSON schema). */
  answered: boolean;
  error: RunFailure | undefined;
}

// The adapter's part of the RunResult.
export function adapterOutcome(ctx: ParserContext, run: RunSummary): AdapterOutcome {
  const { sessionId, error } = run;
  const outcome: AdapterOutcome = {
    ok: error === undefined,
    text: run.text,
    ...(sessionId ? { sessionId } : {}),
    costUsd: run.costUsd,
    usage: run.usage,
    numTurns: run.numTurns,
    permissionDenials: run.permissionDenials,
  };
  if (ctx.request.jsonSchema !== undefined && run.answered) {
    const structured = parseJsonAnswer(run.text);
    if (structured !== undefined) outcome.structured = structured;
  }
  if (error) outcome.error = error;
  return outcome;
}
