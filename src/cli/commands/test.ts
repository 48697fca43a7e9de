// `agent-dispatch test AGENT [TASK]`: one real dispatch with live progress (test-run.ts). Exit 0 only when the
// agent succeeded.
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { UsageError } from '../usage.js';
import type { TestOptions } from './test-run.js';

/** The task sent when none is given. */
export const DEFAULT_TEST_TASK = 'What project is this? Describe it in one sentence.';

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
    .action(async (agent: string, task: string, options: TestOptions) => {
      if (task.trim() === '') throw new UsageError('The task is empty.', `Leave it out to ask "${DEFAULT_TEST_TASK}"`);
      await (await import('./test-run.js')).runTest(ctx, agent, task, options);
    });
}
