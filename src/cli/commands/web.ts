// `agent-dispatch web`: the live dashboard (jobs, agents, costs) on 127.0.0.1, guarded by the per-install token
// (web-run.ts).
import type { Command } from 'commander';
import { DispatchError } from '../../shared/errors.js';
import type { CliContext } from '../context.js';
import type { WebOptions } from './web-run.js';

// Register `web`.
export function registerWeb(program: Command, ctx: CliContext): void {
  program
    .command('web')
    .description('Open the live dashboard: jobs, agents and costs (127.0.0.1 only, token-protected)')
    .option('--port <port>', 'port on 127.0.0.1 (0 picks a free one)', '7788')
    .option('--open', 'open the dashboard in the browser')
    .addHelpText('after', '\nExamples:\n  agent-dispatch web --open\n  agent-dispatch web --port 0')
    .action(async (options: WebOptions) => {
      const port = parseWebPort(options.port);
      await (await import('./web-run.js')).runWeb(ctx, port, options);
    });
}

// A --port value: a whole number from 0 to 65535 (pure).
export function parseWebPort(text: string): number {
  const port = /^\d{1,5}$/.test(text.trim()) ? Number(text) : NaN;
  if (!(port >= 0 && port <= 65535)) {
    throw new DispatchError('INVALID_INPUT', `--port must be a whole number from 0 to 65535, got "${text}".`, { hint: 'Use 0 to pick any free port.' });
  }
  return port;
}
