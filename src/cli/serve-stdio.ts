// `agent-dispatch serve` over stdio, the way Claude Code starts it at the start of every session (and inside every
// `claude -p` a dispatch runs). The handshake and tools/list are answered before the services exist: the config,
// YAML, SQLite and the runner load right after, or at the first tool call, which waits for them (see stdin-gate.ts).
import type { Dispatcher } from '../jobs/dispatcher.js';
import type { ServerDeps } from '../server/deps.js';
import { serveStdio } from '../server/stdio.js';
import { DispatchError, isDispatchError } from '../shared/errors.js';
import { createLogger, type LogHub } from '../shared/log.js';
import type { CliContext } from './context.js';
import type { Services } from './services.js';
import { gateStdin } from './stdin-gate.js';

/** A fallback for a service that is not there yet: nothing has run, so abortAll has nothing to stop. */
function notStarted(failure: () => unknown): Dispatcher {
  const unavailable = () => {
    throw failure() ?? new DispatchError('STORE_UNAVAILABLE', 'agent-dispatch is still starting.', { hint: 'Retry the call.' });
  };
  return new Proxy({} as Dispatcher, { get: (_target, key) => (key === 'abortAll' ? async () => {} : unavailable) });
}

// Serve until the client goes away; resolves after in-flight agents were stopped and the job store closed.
export async function runStdioServe(ctx: CliContext, options: { logger?: LogHub } = {}): Promise<void> {
  const logger = options.logger ?? createLogger();
  let services: Services | undefined;
  let failure: unknown;
  let loading: Promise<void> | undefined;
  const load = () =>
    (loading ??= import('./services.js')
      .then(({ createServices }) => {
        services = createServices(ctx, { logger });
        // Keep job history bounded as the user asked (job_retention_days; 0 keeps everything).
        try {
          const retention = services.config.get().config.settings.job_retention_days;
          if (retention > 0) services.store.applyRetention(retention);
        } catch (error) {
          logger.warn(`job retention skipped: ${(error as Error).message}`);
        }
      })
      .catch((error: unknown) => {
        // The server stays up: each tool call answers with this error, which says what to fix.
        const message = error instanceof Error ? error.message : String(error);
        failure = isDispatchError(error)
          ? error
          : new DispatchError('STORE_UNAVAILABLE', `agent-dispatch could not start its services: ${message}`, {
              hint: 'Fix the cause (the config file, AGENT_DISPATCH_STATE_DIR), then restart the server (a new session, or /mcp in Claude Code).',
              cause: error,
            });
        logger.error(`could not start the services: ${message}`);
      }));
  let ready!: () => void;
  const started = new Promise<void>((resolve) => (ready = resolve));
  const kick = () => void load().then(ready);
  const current = (): Services => {
    if (services) return services;
    throw failure ?? new DispatchError('STORE_UNAVAILABLE', 'agent-dispatch is still starting.', { hint: 'Retry the call.' });
  };
  const deps: ServerDeps = {
    logger,
    get dispatcher() {
      return services ? services.dispatcher : notStarted(() => failure);
    },
    get catalog() {
      return current().catalog;
    },
  };
  // Load the services as soon as tools/list has been answered (the timer runs after the response is written),
  // or at once when a call is waiting for them; at the latest after a moment, for the store's start-up recovery.
  const fallback = setTimeout(kick, 500).unref();
  const stdin = gateStdin(process.stdin, {
    ready: started,
    onHold: kick,
    onPass: (line) => void (line.includes('"tools/list"') && setTimeout(kick, 0)),
  });
  try {
    await serveStdio(deps, { stdin });
  } finally {
    clearTimeout(fallback);
    await loading;
    services?.close();
  }
}
