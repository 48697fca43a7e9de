// `agent-dispatch __job-runner ID` (hidden): the detached supervisor of one background job. It owns the agent's
// process tree and writes progress and the result to the job store, so the job outlives the session that started it.
import type { Command } from 'commander';
import type { CliContext } from '../context.js';

// Register the hidden job-runner command.
export function registerJobRunner(program: Command, ctx: CliContext): void {
  program
    .command('__job-runner <id>', { hidden: true })
    .description('Run one background job to its end (started by dispatch_async)')
    .action(async (id: string) => {
      const { createServices } = await import('../services.js');
      const services = createServices(ctx);
      const controller = new AbortController();
      // SIGTERM/SIGINT (e.g. `kill`) cancels the job cleanly; the session's signals never reach us (own session).
      const stop = () => controller.abort();
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
      try {
        await services.local.runJob(id, controller.signal);
      } finally {
        process.off('SIGTERM', stop);
        process.off('SIGINT', stop);
        services.close();
      }
    });
}
