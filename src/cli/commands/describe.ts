// `agent-dispatch describe TARGET`: an agent's full resolved configuration, or for a directory the description
// `add` would write (describe-run.ts).
import type { Command } from 'commander';
import type { CliContext } from '../context.js';

// Register `describe`.
export function registerDescribe(program: Command, ctx: CliContext): void {
  program
    .command('describe')
    .description('Show an agent\'s full configuration, or the description a directory would get')
    .argument('<target>', 'an agent name, or a project directory')
    .option('--json', 'print JSON instead of text')
    .addHelpText('after', '\nExamples:\n  agent-dispatch describe infra\n  agent-dispatch describe ~/projects/infra\n  agent-dispatch describe . --json')
    .action(async (target: string, flags: { json?: boolean }) => (await import('./describe-run.js')).runDescribe(ctx, target, flags));
}
