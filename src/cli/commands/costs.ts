// `agent-dispatch costs`: spend per agent and per day, and today's spend against the daily budgets (costs-run.ts).
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import type { CostsOptions } from './costs-run.js';

// Register `costs`.
export function registerCosts(program: Command, ctx: CliContext): void {
  program
    .command('costs')
    .description('Show spend per agent and per day, and today\'s spend against the daily budgets')
    .option('--days <n>', 'how many days back, today included', '7')
    .option('--agent <name>', 'only this agent')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExamples:\n  agent-dispatch costs\n  agent-dispatch costs --days 30 --agent backend --json')
    .action(async (options: CostsOptions) => (await import('./costs-run.js')).runCosts(ctx, options));
}
