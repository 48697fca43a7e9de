// `agent-dispatch serve` over stdio, the way Claude Code starts it: at the start of every session, and inside every
// `claude -p` a dispatch runs. Start-up is paid that often, so nothing loads before it is needed:
// - the handshake (initialize, tools/list) is answered from dist/handshake.json when there is one (front-desk.ts);
// - the MCP server (SDK, zod, tools) loads at the first request the desk cannot answer;
// - the services (config, YAML, SQLite, runner) load at the first tool call, which waits for them (stdin-gate.ts).
import type { Dispatcher } from '../jobs/dispatcher.js';
import type { ServerDeps } from '../server/deps.js';
import type { HandshakeManifest } from '../server/handshake.js';
import { DispatchError, isDispatchError } from '../shared/errors.js';
import { createLogger, type LogHub } from '../shared/log.js';
import type { CliContext } from './context.js';
import { createFrontDesk, dropReplayAnswer, REPLAY_ID } from './front-desk.js';
import type { Services } from './services.js';
import { gateStdin } from './stdin-gate.js';

/** Options of the stdio server. */
export interface StdioServeOptions {
  logger?: LogHub;
  /** The build's handshake answers; without them the real server answers the handshake itself. */
  handshake?: HandshakeManifest;
}

const STILL_STARTING = () => new DispatchError('STORE_UNAVAILABLE', 'agent-dispatch is still starting.', { hint: 'Retry the call.' });

// A dispatcher for while the services are not there: nothing has run, so abortAll has nothing to stop.
function notStarted(failure: () => unknown): Dispatcher {
  const unavailable = () => {
    throw failure() ?? STILL_STARTING();
  };
  return new Proxy({} as Dispatcher, { get: (_target, key) => (key === 'abortAll' ? async () => {} : unavailable) });
}

// A request (it has an id) other than our replayed initialize: something only the real server can answer.
function wantsServer(line: string): boolean {
  if (line.includes(REPLAY_ID)) return false;
  if (line.length > 64 * 1024) return true;
  try {
    return 'id' in (JSON.parse(line) as object);
  } catch {
    return true; // let the real server report the parse error
  }
}

// Resolves when the session ends before the real server was needed: a stop signal, stdin EOF, or a gone client.
function earlyStop(): { promise: Promise<'stop'>; fired: () => boolean; dispose: () => void } {
  let fired = false;
  let resolve!: (value: 'stop') => void;
  const promise = new Promise<'stop'>((r) => (resolve = r));
  const fire = () => {
    fired = true;
    resolve('stop');
  };
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const s of signals) process.on(s, fire);
  process.stdin.once('end', fire);
  process.stdin.once('close', fire);
  process.stdout.on('error', fire);
  return {
    promise,
    fired: () => fired,
    dispose() {
      for (const s of signals) process.off(s, fire);
      process.stdin.off('end', fire);
      process.stdin.off('close', fire);
      process.stdout.off('error', fire);
    },
  };
}

// Serve until the client goes away; resolves after in-flight agents were stopped and the job store closed.
export async function runStdioServe(ctx: CliContext, options: StdioServeOptions = {}): Promise<void> {
  const logger = options.logger ?? createLogger();
  let services: Services | undefined;
  let failure: unknown;
  let loading: Promise<void> | undefined;
  const loadServices = () =>
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
  const deps: ServerDeps = {
    logger,
    get dispatcher() {
      return services ? services.dispatcher : notStarted(() => failure);
    },
    get catalog() {
      if (services) return services.catalog;
      throw failure ?? STILL_STARTING();
    },
  };

  let servicesUp!: () => void;
  const servicesReady = new Promise<void>((resolve) => (servicesUp = resolve));
  let want!: () => void;
  const serverWanted = new Promise<'serve'>((resolve) => (want = () => resolve('serve')));
  const desk = options.handshake ? createFrontDesk(options.handshake, (message) => process.stdout.write(`${JSON.stringify(message)}\n`)) : undefined;
  const early = earlyStop();
  const stdin = gateStdin(process.stdin, {
    ready: servicesReady,
    ...(desk ? { intercept: desk.intercept } : {}),
    onPass: (line) => void (wantsServer(line) && want()),
    onHold: () => {
      want();
      void loadServices().then(servicesUp);
    },
  });
  try {
    if ((await Promise.race([serverWanted, early.promise])) === 'stop') return;
    const { serveStdio } = await import('../server/stdio.js');
    if (early.fired()) return;
    // From here the real server answers everything; it takes over the stop signals in the same tick.
    early.dispose();
    desk?.close();
    await serveStdio(deps, { stdin, stdout: desk ? dropReplayAnswer(process.stdout) : process.stdout });
  } finally {
    early.dispose();
    await loading;
    services?.close();
  }
}
