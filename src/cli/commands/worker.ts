// `agent-dispatch worker`: serve this host's agents to the worker pool on settings.queue / AGENT_DISPATCH_QUEUE.
// It serves each agent of its agents.yaml whose directory exists here and whose runtime CLI is installed (says
// which it skipped and why), prints each job it takes, and on SIGTERM/SIGINT stops taking jobs, lets running
// ones finish for settings.pool_grace_seconds, then hands the rest back to the queue.
import type { Command } from 'commander';
import type { CliContext } from '../context.js';

// Register `worker`.
export function registerWorker(program: Command, ctx: CliContext): void {
  program
    .command('worker')
    .description("Serve this host's agents to the worker pool (settings.queue)")
    .option('--agents <names>', 'serve only these agents (comma-separated)')
    .option('--json', 'print one JSON object per line instead of text')
    .addHelpText('after', '\nExamples:\n  AGENT_DISPATCH_QUEUE=redis://:PASSWORD@queue-host:6379 agent-dispatch worker\n  agent-dispatch worker --agents api,web --json')
    .action(async (flags: { agents?: string; json?: boolean }) => {
      // Loaded here so that other commands (`--help`, `list`) do not pay for the config, runner and services.
      const { runPoolWorker } = await import('./worker-run.js');
      await runPoolWorker(ctx, flags);
    });
}
