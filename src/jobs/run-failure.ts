// A RunResult for a dispatch that never reached an agent process (budget refusal, cancelled while queued).
import type { ErrorType, ResolvedAgent, RunResult } from '../shared/types.js';

/** The error part of a failed result. */
export interface RunFailureLike {
  type: ErrorType;
  message: string;
  hint?: string;
}

// A failed result with zero cost for `agent`.
export function failedResult(agent: Pick<ResolvedAgent, 'name' | 'runtime'>, error: RunFailureLike, durationMs = 0): RunResult {
  return {
    ok: false,
    agent: agent.name,
    runtime: agent.runtime,
    text: '',
    costUsd: 0,
    usage: { inputTokens: 0, outputTokens: 0, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 },
    numTurns: 0,
    durationMs,
    permissionDenials: [],
    exitCode: null,
    signal: null,
    stderrTail: '',
    error,
  };
}
