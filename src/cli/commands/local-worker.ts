// `agent-dispatch __worker --key KEY [ID...]` (hidden): the local worker that runs background jobs handed to it over
// its Unix socket (src/jobs/worker/). Started detached by the first dispatch_async that finds none; it runs the
// jobs it was started for, serves until idle, and exits.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { DispatchError } from '../../shared/errors.js';
import { VERSION } from '../../shared/version.js';
import type { CliContext } from '../context.js';

// Register the hidden worker command.
export function registerLocalWorker(program: Command, ctx: CliContext): void {
  program
    .command('__worker [ids...]', { hidden: true })
    .description('Serve background jobs of this environment until idle (started by dispatch_async)')
    .requiredOption('--key <key>', 'the worker key (names its socket in the state dir)')
    .action(async (ids: string[], options: { key: string }) => {
      // Loaded here, not at the top: every other command (`--help`, `list`) would pay for the config schema, YAML,
      // the job store and the runner that the worker needs.
      const [{ createServices, stateDirOf }, { installedVersion, workerIdleMs }, { runLocalWorker, workerAddress }, { currentProcess }] = await Promise.all([
        import('../services.js'),
        import('../background.js'),
        import('../../jobs/worker/index.js'),
        import('../../jobs/store/process.js'),
      ]);
      // Started for jobs of a store that is gone (its state dir was deleted meanwhile): nothing to serve, and
      // opening the store would create an empty one to idle over.
      if (!existsSync(join(stateDirOf(ctx), 'jobs.db'))) return;
      const services = createServices(ctx);
      try {
        const address = workerAddress(services.stateDir, options.key);
        if (!address) throw new DispatchError('INVALID_INPUT', `Bad worker key "${options.key}".`, { hint: 'The worker is started by agent-dispatch itself.' });
        // SIGTERM/SIGINT/SIGHUP cancel the running jobs cleanly (main.ts turns them into ctx.signal).
        const signal = ctx.signal ?? new AbortController().signal;
        await runLocalWorker(
          {
            address,
            store: services.store,
            runJob: (id, jobSignal) => services.local.runJob(id, jobSignal),
            self: currentProcess(),
            version: VERSION,
            installedVersion: () => installedVersion(ctx),
            idleMs: workerIdleMs(ctx.env),
            logger: services.logger,
          },
          ids,
          signal,
        );
      } finally {
        await services.local.abortAll('worker exiting');
        services.close();
      }
    });
}
