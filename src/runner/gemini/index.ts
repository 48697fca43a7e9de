// The Gemini CLI adapter: argv (args.ts), per-run settings and TMPDIR (settings.ts), stream-json events
// (events.ts), failure classes (outcome.ts), and cost from the price table (Gemini reports tokens only).
import type { RunEvent, RunRequest, TokenUsage } from '../../shared/types.js';
import { ZERO_USAGE, type AdapterOutcome, type Invocation, type InvocationContext, type OutputParser, type ParserContext, type ProcessExit, type RuntimeAdapter } from '../adapter.js';
import { adapterOutcome, exitFacts, failureNames } from '../runtime-outcome.js';
import { addUsage, type Pricer } from '../runtime-support.js';
import { buildGeminiArgs } from './args.js';
import { createGeminiState, mapGeminiEvent, type GeminiState } from './events.js';
import { classifyGeminiOutcome } from './outcome.js';
import { defaultRunRoot, existingSystemSettings, forcedSettings, mergeSettings, prepareRunFiles } from './settings.js';

/** What the Gemini adapter is built from. */
export interface GeminiAdapterOptions {
  pricer?: Pricer;
  /** Parent of the per-run directories (default ~/.cache/agent-dispatch/runs; must not sit under /tmp). */
  runRoot?: string;
}

// Creates the adapter.
export function createGeminiAdapter(options: GeminiAdapterOptions = {}): RuntimeAdapter {
  const pricer: Pricer = options.pricer ?? (() => undefined);
  return {
    name: 'gemini',
    defaultBinary: 'gemini',
    installHint: 'Install Gemini CLI (`npm install -g @google/gemini-cli`) or set the path to `gemini` in the settings.',
    buildInvocation(request: RunRequest, ctx: InvocationContext): Invocation {
      const invocation = buildGeminiArgs(request, ctx);
      const env = ctx.env ?? {};
      // Per-run settings files are local; a remote Gemini CLI runs with its host's own settings.
      if (ctx.remote) {
        invocation.env = env.GEMINI_CLI_NO_RELAUNCH === undefined ? { GEMINI_CLI_NO_RELAUNCH: 'true' } : {};
        return invocation;
      }
      const existing = existingSystemSettings(env);
      const files = prepareRunFiles(options.runRoot ?? defaultRunRoot(), existing && mergeSettings(existing, forcedSettings(request.agent.maxTurns)));
      // Skips Gemini's self-relaunch with a bigger heap: halves its cold start (runtimes-notes.md).
      invocation.env = { ...(env.GEMINI_CLI_NO_RELAUNCH === undefined ? { GEMINI_CLI_NO_RELAUNCH: 'true' } : {}), ...files.env };
      invocation.cleanup = files.cleanup;
      return invocation;
    },
    createParser(ctx: ParserContext): OutputParser {
      const state = createGeminiState();
      const cost = () => costOf(state, ctx.request.agent.model, pricer);
      return {
        push(value) {
          const events: RunEvent[] = mapGeminiEvent(state, value);
          if (value.type === 'result') {
            const sessionId = state.sessionId ?? ctx.invocation.sessionId;
            events.push({ type: 'result', ok: value.status === 'success', text: state.lastText, ...(sessionId ? { sessionId } : {}), costUsd: cost(), numTurns: state.responses });
          }
          return events;
        },
        get done() {
          return state.result !== undefined;
        },
        finish: (exit) => finishGeminiRun(state, exit, ctx, cost()),
      };
    },
  };
}

// Cost of the run: each model in the stats at its price (the router model too), else the agent's model.
export function costOf(state: GeminiState, agentModel: string | undefined, pricer: Pricer): number {
  let total = 0;
  for (const [model, usage] of state.models) total += pricer(model, usage) ?? pricer(agentModel, usage) ?? 0;
  return total;
}

// The adapter's part of the RunResult.
export function finishGeminiRun(state: GeminiState, exit: ProcessExit, ctx: ParserContext, costUsd: number): AdapterOutcome {
  const sessionId = state.sessionId ?? ctx.invocation.sessionId;
  if (state.segment !== '') state.lastText = state.segment; // a run killed mid-answer keeps its partial text
  const error = classifyGeminiOutcome({ state, ...exitFacts(exit, ctx, costUsd) }, failureNames(ctx, 'Gemini CLI', sessionId));
  let usage: TokenUsage = { ...ZERO_USAGE };
  for (const u of state.models.values()) usage = addUsage(usage, u);
  const answered = state.result?.status === 'success';
  return adapterOutcome(ctx, { text: state.lastText, sessionId, costUsd, usage, numTurns: state.responses, permissionDenials: state.denials, answered, error });
}
