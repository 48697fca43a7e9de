// `agent-dispatch serve` over stdio, the way Claude Code starts it: at the start of every session, and inside every
// `claude -p` a dispatch runs. Start-up is paid that often, so the handshake is answered by the MCP server alone,
// and the services (config, YAML, SQLite, runner; about 100 ms, once) start loading right after that answer is
// written (server/stdio.ts), so the first tool call finds them ready. If they cannot start, the server stays up and
// every tool call says why.
import type { LazyServerDeps, ServerDeps } from '../server/deps.js';
// Static: this module is itself loaded only for `serve` (serve-main.ts, or lazily by the serve command), and one
// module graph loads faster than a second dynamic import after the first.
import { serveStdio } from '../server/stdio.js';
import { DispatchError, isDispatchError } from '../shared/errors.js';
import { createLogger, type LogHub } from '../shared/log.js';
import type { CliContext } from './context.js';
import { noteTerminalServe } from './serve-notice.js';
import type { Services } from './services.js';

// Serve until the client goes away; resolves after in-flight agents were stopped and the job store closed.
export async function runStdioServe(ctx: CliContext, options: { logger?: LogHub } = {}): Promise<void> {
  const logger = options.logger ?? createLogger();
  noteTerminalServe(ctx.stderr);
  let services: Services | undefined;
  let loading: Promise<ServerDeps> | undefined;
  // Loaded once, after the handshake or at the first tool call; a failure is kept and becomes every call's answer.
  const load = () =>
    (loading ??= import('./services.js')
      .then(({ createServices, cleanupWorktrees }) => {
        services = createServices(ctx, { logger });
        // Keep job history bounded as the user asked (job_retention_days; 0 keeps everything).
        try {
          const retention = services.config.get().config.settings.job_retention_days;
          if (retention > 0) services.store.applyRetention(retention);
          cleanupWorktrees(services);
        } catch (error) {
          logger.warn(`job retention skipped: ${(error as Error).message}`);
        }
        logger.debug('services ready');
        return depsOf(services);
      })
      .catch((error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        logger.error(`could not start the services: ${message}`);
        throw isDispatchError(error)
          ? error
          : new DispatchError('STORE_UNAVAILABLE', `agent-dispatch could not start its services: ${message}`, {
              hint: 'Fix the cause (the config file, AGENT_DISPATCH_STATE_DIR), then restart the server (a new session, or /mcp in Claude Code).',
              cause: error,
            });
      }));
  const deps: LazyServerDeps = { logger, load, loaded: () => (services ? depsOf(services) : undefined) };
  try {
    await serveStdio(deps);
  } finally {
    await loading?.catch(() => {});
    services?.close();
  }
}

// What the MCP server takes from the services.
function depsOf(services: Services): ServerDeps {
  return { dispatcher: services.dispatcher, catalog: services.catalog, logger: services.logger, worktrees: services.worktrees };
}
