// `agent-dispatch remove NAME`: unregister an agent; groups that name it are kept and reported (remove-run.ts).
import type { Command } from 'commander';
import type { CliContext } from '../context.js';

// Register `remove`.
export function registerRemove(program: Command, ctx: CliContext): void {
  program
    .command('remove')
    .description('Remove an agent from the config (its project directory is not touched)')
    .argument('<name>', 'the agent to remove')
    .addHelpText('after', '\nExample:\n  agent-dispatch remove infra')
    .action(async (name: string) => (await import('./remove-run.js')).runRemove(ctx, name));
}
