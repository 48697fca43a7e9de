// The runtime adapter contract: the only place a coding CLI's flags, output format and failure texts live.
// The runner (index.ts) is runtime-agnostic; it spawns, frames stdout and hands each JSON line to the adapter.
import type { ApprovalRelay, ErrorType, RunEvent, RunRequest, RunResult, RuntimeName, TokenUsage } from '../shared/types.js';

/** What the runner decided before building the command line. */
export interface InvocationContext {
  /** The assembled prompt (see prompt.ts). */
  prompt: string;
  /** A fresh UUID for a new session, so even a run killed early has an id to resume. */
  newSessionId: string;
  /** The environment the child will start from (user's, agent's, dispatch chain), before `Invocation.env` is added. */
  env?: Readonly<Record<string, string>>;
  /** The run goes over SSH: the prompt must travel on stdin (a remote shell re-parses argv), and no local temp files. */
  remote?: boolean;
  /** Permission requests go to this relay (approvals `ask`); only adapters that can relay accept it. */
  approvals?: ApprovalRelay;
}

/** How to start the CLI. */
export interface Invocation {
  /** Arguments after the executable. */
  args: string[];
  /** Variables added on top of the child environment the runner built. */
  env: Record<string, string>;
  /** Text written to the child's stdin, which is then closed (for prompts too large for one argument). */
  stdin?: string;
  /** The session id this run will report if the CLI never says (pre-assigned or resumed). */
  sessionId?: string;
  /** Removes what buildInvocation created for this run (temp config files); the runner calls it once the run has ended. */
  cleanup?: () => void;
}

/** Why the runner ended the process itself, if it did. `finished`: the final result had arrived. */
export type StopReason = 'timeout' | 'cancelled' | 'finished';

/** How the process ended, as seen by the runner. */
export interface ProcessExit {
  exitCode: number | null;
  signal: string | null;
  /** Last part of stderr. */
  stderrTail: string;
  reason?: StopReason;
  /** Stdout lines that were not JSON objects or were over the line cap. */
  skippedLines: number;
}

/** Facts about the run the adapter needs for messages and hints. */
export interface ParserContext {
  request: RunRequest;
  invocation: Invocation;
  /** Effective timeout in seconds. */
  timeoutSeconds: number;
}

/** An agent failure: a class shared by all runtimes, a message and what the user can do about it. */
export interface RunFailure {
  type: ErrorType;
  message: string;
  hint?: string;
}

/** The result fields an adapter derives from the output and the exit (the runner adds the rest). */
export type AdapterOutcome = Pick<RunResult, 'ok' | 'text' | 'structured' | 'sessionId' | 'costUsd' | 'usage' | 'numTurns' | 'permissionDenials'> & {
  error?: RunFailure;
};

/** Turns one run's JSON lines into live events and, at the end, its outcome. One parser per run. */
export interface OutputParser {
  // Maps one JSON object from stdout to zero or more common events, keeping what the outcome needs.
  push(value: Record<string, unknown>): RunEvent[];
  /** True once the CLI has reported its final result (the runner then stops waiting for more work). */
  readonly done: boolean;
  /** True when the adapter wants the process ended now (e.g. its running cost passed the budget); stopped as 'finished'. */
  readonly halt?: boolean;
  // The final result fields, from what was seen and how the process ended.
  finish(exit: ProcessExit): AdapterOutcome;
}

/** One coding CLI behind the common runner. */
export interface RuntimeAdapter {
  readonly name: RuntimeName;
  /** Executable looked up on PATH when no binary override is configured. */
  readonly defaultBinary: string;
  /** What to tell the user when the executable is missing. */
  readonly installHint: string;
  // Builds argv and env for a request; throws DispatchError('INVALID_INPUT') for values it cannot pass safely.
  buildInvocation(request: RunRequest, ctx: InvocationContext): Invocation;
  // A fresh parser for one run.
  createParser(ctx: ParserContext): OutputParser;
}

/** Token counts of a run that reported none. */
export const ZERO_USAGE: TokenUsage = Object.freeze({
  inputTokens: 0,
  outputTokens: 0,
  cacheReadInputTokens: 0,
  cacheCreationInputTokens: 0,
});
