// `agent-dispatch doctor`: check the installation end to end and say how to fix each problem (doctor-run.ts).
import type { Command } from 'commander';
import type { CliContext } from '../context.js';

// Register `doctor`.
export function registerDoctor(program: Command, ctx: CliContext): void {
  program
    .command('doctor')
    .description('Check the installation: Node.js, claude, authentication, config, agents, registration, job store')
    .option('--offline', 'skip the authentication check (it sends one tiny request, about $0.001)')
    .option('--json', 'print the results as JSON')
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  agent-dispatch doctor',
        '  agent-dispatch doctor --offline',
        "  agent-dispatch doctor --json | jq -r '.checks[] | select(.status == \"fail\") | .fix[0]'",
        '',
        'Exits 1 when any check fails; warnings alone exit 0.',
      ].join('\n'),
    )
    .action(async (options: { offline?: boolean; json?: boolean }) => (await import('./doctor-run.js')).runDoctor(ctx, options));
}
