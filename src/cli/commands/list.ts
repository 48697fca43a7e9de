// `agent-dispatch list`: every agent with its health, permissions and last run (list-run.ts).
import type { Command } from 'commander';
import type { CliContext } from '../context.js';

// Register `list`.
export function registerList(program: Command, ctx: CliContext): void {
  program
    .command('list')
    .description('List agents with their health, permissions and last run')
    .option('--json', 'print JSON (one object per agent) instead of a table')
    .addHelpText('after', '\nExamples:\n  agent-dispatch list\n  agent-dispatch list --json | jq -r \'.[] | select(.healthy | not) | .name\'')
    .action(async (flags: { json?: boolean }) => (await import('./list-run.js')).runList(ctx, flags));
}
