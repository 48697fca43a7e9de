// The Codex adapter: argv (args.ts), `exec --json` events (events.ts), failure classes (outcome.ts), and the
// cost Codex does not report, from the price table. Resumed runs are charged only for their own tokens (rollout.ts).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunEvent, RunRequest, TokenUsage } from '../../shared/types.js';
import { ZERO_USAGE, type AdapterOutcome, type Invocation, type InvocationContext, type OutputParser, type ParserContext, type ProcessExit, type RuntimeAdapter } from '../adapter.js';
import { adapterOutcome, exitFacts, failureNames } from '../runtime-outcome.js';
import type { Pricer } from '../runtime-support.js';
import { DispatchError } from '../../shared/errors.js';
import { buildCodexArgs } from './args.js';
import { createCodexState, mapCodexEvent, type CodexState } from './events.js';
import { classifyCodexOutcome } from './outcome.js';
import { codexHome, configuredModel, readThreadUsage } from './rollout.js';

/** What the Codex adapter is built from. */
export interface CodexAdapterOptions {
  /** Prices runs by model (Codex reports tokens, never cost). */
  pricer?: Pricer;
  /** Where per-run temp files go (the --output-schema file); default the OS temp dir. */
  tempDir?: string;
}

// Creates the adapter.
export function createCodexAdapter(options: CodexAdapterOptions = {}): RuntimeAdapter {
  const pricer: Pricer = options.pricer ?? (() => undefined);
  // Per invocation: the model to price and the thread's usage before a resumed run (read while building it).
  const facts = new WeakMap<Invocation, { model?: string; baseline?: TokenUsage }>();
  return {
    name: 'codex',
    defaultBinary: 'codex',
    installHint: 'Install Codex (`npm install -g @openai/codex`) or set the path to `codex` in the settings.',
    buildInvocation(request: RunRequest, ctx: InvocationContext): Invocation {
      let dir: string | undefined;
      let schemaFile: string | undefined;
      // The schema is a local file, which a remote Codex cannot read.
      if (request.jsonSchema !== undefined && ctx.remote) {
        throw new DispatchError('INVALID_INPUT', 'A JSON response_format is not available for a Codex agent on a remote host.', { hint: 'Ask for JSON in the task text instead, or run the agent locally.' });
      }
      if (request.jsonSchema !== undefined) {
        dir = mkdtempSync(join(options.tempDir ?? tmpdir(), 'agent-dispatch-codex-'));
        schemaFile = join(dir, 'schema.json');
        writeFileSync(schemaFile, JSON.stringify(request.jsonSchema), { mode: 0o600 });
      }
      let invocation: Invocation;
      try {
        invocation = buildCodexArgs(request, ctx, schemaFile);
      } catch (error) {
        if (dir) rmSync(dir, { recursive: true, force: true });
        throw error;
      }
      if (dir) {
        const made = dir;
        invocation.cleanup = () => rmSync(made, { recursive: true, force: true });
      }
      const home = codexHome(ctx.env ?? {});
      const model = request.agent.model ?? (home ? configuredModel(home) : undefined);
      const baseline = request.resumeSessionId && !request.forkSession && home ? readThreadUsage(home, request.resumeSessionId) : undefined;
      facts.set(invocation, { ...(model ? { model } : {}), ...(baseline ? { baseline } : {}) });
      return invocation;
    },
    createParser(ctx: ParserContext): OutputParser {
      const state = createCodexState();
      const known = () => facts.get(ctx.invocation) ?? {};
      return {
        push(value) {
          const events: RunEvent[] = mapCodexEvent(state, value);
          if (value.type === 'turn.completed') {
            const sessionId = state.sessionId ?? ctx.invocation.sessionId;
            const usage = state.usage ? minus(state.usage, known().baseline) : { ...ZERO_USAGE };
            events.push({ type: 'result', ok: true, text: state.lastText, ...(sessionId ? { sessionId } : {}), costUsd: pricer(known().model, usage) ?? 0, numTurns: state.responses });
          }
          return events;
        },
        get done() {
          return state.completed || state.failed !== undefined;
        },
        finish: (exit) => finishCodexRun(state, exit, ctx, pricer, known()),
      };
    },
  };
}

// The adapter's part of the RunResult.
export function finishCodexRun(state: CodexState, exit: ProcessExit, ctx: ParserContext, pricer: Pricer, facts: { model?: string; baseline?: TokenUsage }): AdapterOutcome {
  const sessionId = state.sessionId ?? ctx.invocation.sessionId;
  const usage = state.usage ? minus(state.usage, facts.baseline) : { ...ZERO_USAGE };
  const costUsd = pricer(facts.model, usage) ?? 0;
  const error = classifyCodexOutcome({ state, ...exitFacts(exit, ctx, costUsd) }, failureNames(ctx, 'Codex', sessionId));
  return adapterOutcome(ctx, { text: state.lastText, sessionId, costUsd, usage, numTurns: state.responses, permissionDenials: [], answered: state.completed, error });
}

// This run's share of a thread's cumulative usage.
function minus(total: TokenUsage, before: TokenUsage | undefined): TokenUsage {
  if (!before) return total;
  const d = (a: number, b: number) => Math.max(0, a - b);
  return {
    inputTokens: d(total.inputTokens, before.inputTokens),
    outputTokens: d(total.outputTokens, before.outputTokens),
    cacheReadInputTokens: d(total.cacheReadInputTokens, before.cacheReadInputTokens),
    cacheCreationInputTokens: d(total.cacheCreationInputTokens, before.cacheCreationInputTokens),
  };
}
