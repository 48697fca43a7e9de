// The OpenCode adapter: argv and config overlay (args.ts), JSON events (events.ts), failure classes (outcome.ts).
// OpenCode reports usage per step, so the running cost is known while it works: past max_budget_usd, the
// parser asks the runner to stop the process (OpenCode has no budget option of its own).
import type { RunEvent, RunRequest } from '../../shared/types.js';
import type { AdapterOutcome, Invocation, InvocationContext, OutputParser, ParserContext, ProcessExit, RuntimeAdapter } from '../adapter.js';
import { adapterOutcome, exitFacts, failureNames } from '../runtime-outcome.js';
import { asRecord, type Pricer } from '../runtime-support.js';
import { buildOpenCodeArgs } from './args.js';
import { createOpenCodeState, mapOpenCodeEvent, type OpenCodeState } from './events.js';
import { classifyOpenCodeOutcome } from './outcome.js';

/** What the OpenCode adapter is built from. */
export interface OpenCodeAdapterOptions {
  /** Prices runs whose model has no cost in the OpenCode config (OpenCode then reports 0). */
  pricer?: Pricer;
}

// Merges our config overlay into an OPENCODE_CONFIG_CONTENT the agent's environment may already carry.
export function mergeConfigContent(existing: string | undefined, overlay: Record<string, unknown>): string {
  let base: Record<string, unknown> = {};
  if (existing) {
    try {
      base = asRecord(JSON.parse(existing)) ?? {};
    } catch {
      base = {};
    }
  }
  const permission = { ...(asRecord(base.permission) ?? {}), ...(asRecord(overlay.permission) ?? {}) };
  return JSON.stringify({ ...base, ...overlay, ...(Object.keys(permission).length ? { permission } : {}) });
}

// Creates the adapter.
export function createOpenCodeAdapter(options: OpenCodeAdapterOptions = {}): RuntimeAdapter {
  const pricer: Pricer = options.pricer ?? (() => undefined);
  return {
    name: 'opencode',
    defaultBinary: 'opencode',
    installHint: 'Install OpenCode (`npm install -g opencode-ai`) or set the path to `opencode` in the settings.',
    buildInvocation(request: RunRequest, ctx: InvocationContext): Invocation {
      const { invocation, config } = buildOpenCodeArgs(request, ctx);
      invocation.env.OPENCODE_CONFIG_CONTENT = mergeConfigContent(ctx.env?.OPENCODE_CONFIG_CONTENT, config);
      return invocation;
    },
    createParser(ctx: ParserContext): OutputParser {
      const state = createOpenCodeState();
      const cap = ctx.request.agent.maxBudgetUsd;
      let budgetStop = false;
      const cost = () => runCost(state, ctx.request.agent.model, pricer);
      return {
        push(value) {
          const events: RunEvent[] = mapOpenCodeEvent(state, value);
          if (value.type !== 'step_finish') return events;
          if (cap !== undefined && cap > 0 && !state.stopped && cost() > cap) budgetStop = true;
          if (state.stopped || budgetStop) {
            const sessionId = state.sessionId ?? ctx.invocation.sessionId;
            events.push({ type: 'result', ok: !budgetStop, text: state.lastText, ...(sessionId ? { sessionId } : {}), costUsd: cost(), numTurns: state.steps });
          }
          return events;
        },
        get done() {
          return state.stopped || state.error !== undefined;
        },
        get halt() {
          return budgetStop;
        },
        finish: (exit) => finishOpenCodeRun(state, exit, ctx, cost(), budgetStop),
      };
    },
  };
}

// The cost OpenCode reported, or (when it reported none) the agent's model at its price-table price.
export function runCost(state: OpenCodeState, model: string | undefined, pricer: Pricer): number {
  if (state.reportedCost > 0) return state.reportedCost;
  return pricer(model, state.usage) ?? 0;
}

// The adapter's part of the RunResult.
export function finishOpenCodeRun(state: OpenCodeState, exit: ProcessExit, ctx: ParserContext, costUsd: number, budgetStop: boolean): AdapterOutcome {
  const sessionId = state.sessionId ?? ctx.invocation.sessionId;
  const error = classifyOpenCodeOutcome({ state, budgetStop, ...exitFacts(exit, ctx, costUsd) }, failureNames(ctx, 'OpenCode', sessionId));
  return adapterOutcome(ctx, { text: state.lastText, sessionId, costUsd, usage: state.usage, numTurns: state.steps, permissionDenials: state.denials, answered: state.stopped, error });
}
