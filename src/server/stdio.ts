// Serves the MCP tools over stdio until the client goes away. Claude Code ends a session with SIGINT,
// SIGTERM 100 ms later and SIGKILL about 500 ms after that, and never closes stdin first: so on the first
// signal or on stdin EOF every agent process tree of a call in flight is stopped at once.
import type { Readable, Writable } from 'node:stream';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Dispatcher } from '../jobs/dispatcher.js';
import type { ServerDeps } from './deps.js';
import type { LogHub } from '../shared/log.js';
import { createServer } from './create-server.js';
import { formatBytes, MAX_MESSAGE_BYTES, MAX_TEXT_INPUT_BYTES } from './limits.js';
import { limitLines, type OversizeInfo } from './stdio-lines.js';

/** Where the server reads, writes and listens for signals (the process by default). */
export interface StdioOptions {
  stdin?: Readable;
  stdout?: Writable;
  /** Something with on/off for SIGINT, SIGTERM and SIGHUP (the process by default). */
  signals?: Pick<NodeJS.Process, 'on' | 'off'>;
}

// How long shutdown waits for stopped dispatches to record their end; Claude Code sends SIGKILL about 600 ms
// after its first signal, so this only matters to a client that waits longer (the SDK's waits 2 s).
const SETTLE_MS = 1500;

// The same services, with the dispatches in flight counted, so shutdown can wait for them to be recorded.
// The dispatcher stays a getter: `serve` creates its services at the first tool call.
function trackDispatches(deps: ServerDeps) {
  const pending = new Set<Promise<void>>();
  const count = (running: Promise<unknown>) => {
    const settled: Promise<void> = running.then(
      () => void pending.delete(settled),
      () => void pending.delete(settled),
    );
    pending.add(settled);
  };
  let wrapped: { real: Dispatcher; proxy: Dispatcher } | undefined;
  const tracked: ServerDeps = {
    logger: deps.logger,
    ...(deps.ready ? { ready: deps.ready } : {}),
    get catalog() {
      return deps.catalog;
    },
    get worktrees() {
      return deps.worktrees;
    },
    get dispatcher() {
      const real = deps.dispatcher;
      if (wrapped?.real !== real) {
        const dispatch: Dispatcher['dispatch'] = (request, options) => {
          const running = real.dispatch(request, options);
          count(running);
          return running;
        };
        wrapped = { real, proxy: new Proxy(real, { get: (target, key) => (key === 'dispatch' ? dispatch : Reflect.get(target, key)) }) };
      }
      return wrapped.proxy;
    },
  };
  return {
    deps: tracked,
    async settled(timeoutMs: number): Promise<void> {
      if (pending.size === 0) return;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled([...pending]), new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
      clearTimeout(timer);
    },
  };
}

// Serve until stdin ends or a stop signal arrives; resolves after in-flight agents were stopped.
export async function serveStdio(deps: ServerDeps, options: StdioOptions = {}): Promise<{ reason: string }> {
  const stdin = options.stdin ?? process.stdin;
  const stdout = options.stdout ?? process.stdout;
  const signals = options.signals ?? process;
  const calls = trackDispatches(deps);
  const server = createServer(calls.deps);
  // Whole lines only, none over the limit: the SDK's reader would end the session on an oversized one.
  const lines = limitLines(MAX_MESSAGE_BYTES, (info) => void refuseOversize(info));
  stdin.pipe(lines);
  const transport = new StdioServerTransport(lines, stdout, { maxBufferSize: MAX_MESSAGE_BYTES + 2 });
  const refuseOversize = async ({ bytes, id }: OversizeInfo) => {
    const message = `The message (${formatBytes(bytes)}) is over the ${formatBytes(MAX_MESSAGE_BYTES)} limit of one MCP message and was dropped; task and context take at most ${formatBytes(MAX_TEXT_INPUT_BYTES)} each: pass the bulk as a file path.`;
    deps.logger.warn(`dropped a ${formatBytes(bytes)} message${id === null ? ' (its id is unknown, so it gets no answer)' : ` (request ${JSON.stringify(id)})`}: over the ${formatBytes(MAX_MESSAGE_BYTES)} limit`);
    if (id !== null) await transport.send({ jsonrpc: '2.0', id, error: { code: -32600, message } }).catch(() => {});
  };
  // A client that vanished makes writes fail with EPIPE; that is a shutdown, not a crash.
  const onStdoutError = () => stop('stdout closed');

  let resolveStop!: (reason: string) => void;
  const stopped = new Promise<string>((resolve) => (resolveStop = resolve));
  let stopping = false;
  function stop(reason: string) {
    if (stopping) return;
    stopping = true;
    resolveStop(reason);
  }
  const onSignal = (signal: NodeJS.Signals) => stop(signal);
  const onEnd = () => stop('stdin closed');
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) signals.on(s, onSignal);
  stdin.once('end', onEnd);
  stdin.once('close', onEnd);
  stdout.on('error', onStdoutError);
  transport.onclose = () => stop('transport closed');
  // A line that is not JSON-RPC is skipped by the SDK; say so rather than stay silent.
  transport.onerror = (error) => deps.logger.warn(`MCP over stdio: ${error.message}`);

  await server.connect(transport);
  // Log lines also reach the client, as notifications/message.
  const hub = deps.logger as Partial<LogHub>;
  const detach = hub.attach?.((level, message) => {
    void server.server.sendLoggingMessage({ level: level === 'warn' ? 'warning' : level, logger: 'agent-dispatch', data: message }).catch(() => {});
  });
  deps.logger.debug('serving MCP over stdio');
  const reason = await stopped;
  deps.logger.info(`MCP session over stdio ended: ${reason}`);
  try {
    await deps.dispatcher.abortAll(`session ended (${reason})`);
    // Let the stopped dispatches record their end (cancelled, with the reason) before the store closes.
    await calls.settled(SETTLE_MS);
    await server.close().catch(() => {});
  } finally {
    detach?.();
    for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) signals.off(s, onSignal);
    stdin.off('end', onEnd);
    stdin.off('close', onEnd);
    stdout.off('error', onStdoutError);
    stdin.unpipe(lines);
  }
  return { reason };
}
