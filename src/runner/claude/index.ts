// The Claude Code adapter: argv (args.ts), stream-json events (events.ts), failure classes (outcome.ts).
import type { PermissionDenial, TokenUsage } from '../../shared/types.js';
import { ZERO_USAGE, type AdapterOutcome, type OutputParser, type ParserContext, type ProcessExit, type RuntimeAdapter } from '../adapter.js';
import { buildClaudeArgs } from './args.js';
import { createStreamState, mapClaudeEvent, runCost, type ClaudeResult, type ClaudeStreamState } from './events.js';
import { classifyClaudeOutcome } from './outcome.js';

/** Claude Code (`claude -p`), the default runtime. */
export const claudeAdapter: RuntimeAdapter = {
  name: 'claude',
  defaultBinary: 'claude',
  installHint: 'Install Claude Code (`npm install -g @anthropic-ai/claude-code`) or set the path to `claude` in the settings.',
  buildInvocation: buildClaudeArgs,
  createParser(ctx: ParserContext): OutputParser {
    const state = createStreamState();
    return {
      push: (value) => mapClaudeEvent(state, value),
      get done() {
        return state.result !== undefined;
      },
      finish: (exit) => finishClaudeRun(state, exit, ctx),
    };
  },
};

// Builds the adapter's part of the RunResult from what the stream showed and how the process ended.
export function finishClaudeRun(state: ClaudeStreamState, exit: ProcessExit, ctx: ParserContext): AdapterOutcome {
  const { result } = state;
  const sessionId = state.sessionId ?? ctx.invocation.sessionId;
  const error = classifyClaudeOutcome(
    { result, exitCode: exit.exitCode, signal: exit.signal, stderr: exit.stderrTail, ...(exit.reason ? { reason: exit.reason } : {}) },
    {
      agent: ctx.request.agent.name,
      timeoutSeconds: ctx.timeoutSeconds,
      ...(sessionId === undefined ? {} : { sessionId }),
      ...(ctx.request.agent.maxBudgetUsd === undefined ? {} : { maxBudgetUsd: ctx.request.agent.maxBudgetUsd }),
    },
  );
  const outcome: AdapterOutcome = {
    ok: error === undefined,
    // Budget and turn-limit results carry no `result`; the last text seen is the best partial answer.
    text: typeof result?.result === 'string' ? result.result : state.lastText,
    ...(sessionId === undefined ? {} : { sessionId }),
    costUsd: result ? runCost(result) : 0,
    usage: result ? usageOf(result) : { ...ZERO_USAGE },
    numTurns: typeof result?.num_turns === 'number' ? result.num_turns : state.messageIds.size,
    permissionDenials: result ? denialsOf(result, state.denials) : state.denials,
  };
  // Callers must check for the key: a model that never calls StructuredOutput still ends in success (§7).
  if (result && 'structured_output' in result) outcome.structured = result.structured_output;
  if (error) outcome.error = error;
  return outcome;
}

function usageOf(result: ClaudeResult): TokenUsage {
  const u = result.usage ?? {};
  const n = (key: string) => (typeof u[key] === 'number' && Number.isFinite(u[key]) ? (u[key] as number) : 0);
  return {
    inputTokens: n('input_tokens'),
    outputTokens: n('output_tokens'),
    cacheReadInputTokens: n('cache_read_input_tokens'),
    cacheCreationInputTokens: n('cache_creation_input_tokens'),
  };
}

function denialsOf(result: ClaudeResult, live: PermissionDenial[]): PermissionDenial[] {
  if (!Array.isArray(result.permission_denials)) return live;
  return result.permission_denials.map((d) => ({
    toolName: String(d?.tool_name ?? ''),
    ...(typeof d?.tool_use_id === 'string' ? { toolUseId: d.tool_use_id } : {}),
    ...(d?.tool_input === undefined ? {} : { toolInput: d.tool_input }),
  }));
}
