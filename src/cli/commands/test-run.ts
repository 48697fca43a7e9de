// The body of `agent-dispatch test AGENT [TASK]` (defined in test.ts): one real dispatch through the dispatch
// service (the MCP tool's code path), with live progress, then the answer, turns, cost and time.
import { toDispatchView } from '../../views/dispatch-result.js';
import { MAX_TIMEOUT_OVERRIDE_S, MIN_TIMEOUT_OVERRIDE_S } from '../../runner/request.js';
import { createLogger } from '../../shared/log.js';
import { CliExit, type CliContext } from '../context.js';
import type { Services } from '../services.js';
import { paletteFor } from '../ui/color.js';
import { writeJson } from '../ui/json.js';
import { startRunProgress } from '../ui/run-progress.js';
import { printRunResult } from '../ui/run-result.js';
import { UsageError } from '../usage.js';

/** Exit code after Ctrl-C, as shells report SIGINT. */
export const EXIT_INTERRUPTED = 130;

/** The flags of `test`. */
export interface TestOptions {
  stream?: boolean;
  timeout?: string;
  json?: boolean;
}

function parseTimeout(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  // The same bounds as the dispatch tools' timeout_seconds; the runner would clamp silently.
  const seconds = /^\d{1,7}$/.test(text.trim()) ? Number(text) : NaN;
  if (!(seconds >= MIN_TIMEOUT_OVERRIDE_S && seconds <= MAX_TIMEOUT_OVERRIDE_S)) {
    throw new UsageError(
      `--timeout must be a whole number of seconds from ${MIN_TIMEOUT_OVERRIDE_S} to ${MAX_TIMEOUT_OVERRIDE_S}; got "${text}".`,
      "For a shorter limit, set the agent's own timeout: agent-dispatch update AGENT --timeout 5",
    );
  }
  return seconds;
}

// The agent's current allowed tools (for a fix that adds to them), or none when the config changed meanwhile.
async function allowedToolsOf(services: Services, agent: string): Promise<string[]> {
  const { explainAgent } = await import('../../config/index.js');
  try {
    return explainAgent(services.config.get().config, agent).agent.allowedTools ?? [];
  } catch {
    return [];
  }
}

// One dispatch with live progress, then the answer; throws CliExit(1) (130 after Ctrl-C) when the agent failed.
export async function runTest(ctx: CliContext, agent: string, task: string, options: TestOptions): Promise<void> {
  const timeoutSeconds = parseTimeout(options.timeout);
  const logger = createLogger({ level: 'warn', write: (line) => void ctx.stderr.write(line) });
  // Loaded when the command runs, not at start: the services pull in every layer (config schema, SQLite, runner).
  const { createServices } = await import('../services.js');
  const services = createServices(ctx, { logger });
  // Progress and the summary go to stderr (a terminal, or the log of a pipe); stdout gets the answer alone.
  const c = paletteFor(ctx.stderr, ctx.env);
  try {
    const progress = options.json ? undefined : startRunProgress({ sink: ctx.stderr, palette: c, agent, stream: options.stream === true });
    let outcome;
    try {
      outcome = await services.dispatcher.dispatch(
        { agent, task, caller: 'agent-dispatch test', ...(timeoutSeconds ? { timeoutSeconds } : {}) },
        { ...(progress ? { onEvent: progress.onEvent } : {}), ...(ctx.signal ? { signal: ctx.signal } : {}) },
      );
    } finally {
      progress?.stop({ answered: outcome?.result.ok === true });
    }
    const interrupted = outcome.result.error?.type === 'cancelled' && ctx.signal?.aborted === true;
    if (options.json) writeJson(ctx.stdout, toDispatchView(outcome));
    else printRunResult(ctx, c, outcome, await allowedToolsOf(services, agent), interrupted);
    if (!outcome.result.ok) throw new CliExit(interrupted ? EXIT_INTERRUPTED : 1);
  } finally {
    services.close();
  }
}
