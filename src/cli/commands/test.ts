// `agent-dispatch test AGENT [TASK]`: one real dispatch through the dispatch service (the MCP tool's code
// path), with live progress, then the answer, turns, cost and time. Exit 0 only when the agent succeeded.
import type { Command } from 'commander';
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

/** The task sent when none is given. */
export const DEFAULT_TEST_TASK = 'What project is this? Describe it in one sentence.';

/** Exit code after Ctrl-C, as shells report SIGINT. */
export const EXIT_INTERRUPTED = 130;

interface TestOptions {
  stream?: boolean;
  timeout?: string;
  json?: boolean;
}

// Register `test`.
export function registerTest(program: Command, ctx: CliContext): void {
  program
    .command('test')
    .description('Send an agent a real task and show what it does, live')
    .argument('<agent>', 'the agent to test')
    .argument('[task]', 'what to ask', DEFAULT_TEST_TASK)
    .option('--stream', "also print the agent's text as it works, and progress lines when not on a terminal")
    .option('--timeout <seconds>', "stop the run after this many seconds, 10 to 7200 (default: the agent's timeout)")
    .option('--json', 'print the result as the dispatch tool returns it')
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  agent-dispatch test backend',
        '  agent-dispatch test backend "Which tests are failing?" --stream',
        '  agent-dispatch test infra --timeout 60 --json',
        '',
        'The answer goes to stdout; progress and the summary line to stderr.',
        'Exits 0 when the agent answered, 1 when it failed (the error type and a fix are printed), 2 on bad usage, 130 after Ctrl-C.',
      ].join('\n'),
    )
    .action((agent: string, task: string, options: TestOptions) => runTest(ctx, agent, task, options));
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

async function runTest(ctx: CliContext, agent: string, task: string, options: TestOptions): Promise<void> {
  const timeoutSeconds = parseTimeout(options.timeout);
  if (task.trim() === '') throw new UsageError('The task is empty.', `Leave it out to ask "${DEFAULT_TEST_TASK}"`);
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
