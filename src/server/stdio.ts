// Serves the MCP tools over stdio until the client goes away, on both protocol eras: the SDK's serveStdio answers a
// 2026-07-28 `server/discover` opening with a modern instance and a 2025-11-25 `initialize` with a legacy one, both
// from our factory. Claude Code ends a session with SIGINT, SIGTERM 100 ms later and SIGKILL about 500 ms after
// that, and never closes stdin first: so on the first signal or on stdin EOF every agent process tree of a call in
// flight is stopped at once.
import type { Readable, Writable } from 'node:stream';
import type { JSONRPCMessage, Server } from '@modelcontextprotocol/server';
import { serveStdio as serveEras, StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import type { DepsSource } from './deps.js';
import type { LogHub } from '../shared/log.js';
import { createServerFactory, type FactoryOptions } from './create-server.js';
import { tasksExtension } from './tasks/extension.js';
import { formatBytes, MAX_MESSAGE_BYTES, MAX_TEXT_INPUT_BYTES } from './limits.js';
import { limitLines, type OversizeInfo } from './stdio-lines.js';

/** Where the server reads, writes and listens for signals (the process by default). */
export interface StdioOptions {
  stdin?: Readable;
  stdout?: Writable;
  /** Something with on/off for SIGINT, SIGTERM and SIGHUP (the process by default). */
  signals?: Pick<NodeJS.Process, 'on' | 'off'>;
  /** Passed to the server factory (the Tasks seam: `extend`, `tasks`). */
  factory?: Pick<FactoryOptions, 'extend' | 'tasks'>;
}

// How long shutdown waits for stopped calls to record their end; Claude Code sends SIGKILL about 600 ms after its
// first signal, so this only matters to a client that waits longer (the SDK's waits 2 s).
const SETTLE_MS = 1500;

// The tool calls in flight, so shutdown can wait for the stopped ones to be recorded.
function inflight() {
  const pending = new Set<Promise<void>>();
  return {
    add(running: Promise<unknown>) {
      const settled: Promise<void> = running.then(
        () => void pending.delete(settled),
        () => void pending.delete(settled),
      );
      pending.add(settled);
    },
    async settled(timeoutMs: number): Promise<void> {
      if (pending.size === 0) return;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled([...pending]), new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
      clearTimeout(timer);
    },
  };
}

// The SDK's stdio transport, telling after each message it has written (the first is the handshake's answer).
class SentTransport extends StdioServerTransport {
  onSent?: () => void;
  override async send(message: JSONRPCMessage): Promise<void> {
    await super.send(message);
    this.onSent?.();
  }
}

// How long the connection must stay quiet after the handshake before the lazy services start loading: a client
// that sends tools/list (or a tool call) at once gets its answer first, and a benchmark's CPU reading of the
// handshake is not mixed with the loading.
const QUIET_MS = 25;

// Serve until stdin ends or a stop signal arrives; resolves after in-flight agents were stopped.
export async function serveStdio(source: DepsSource, options: StdioOptions = {}): Promise<{ reason: string }> {
  const { logger } = source;
  const stdin = options.stdin ?? process.stdin;
  const stdout = options.stdout ?? process.stdout;
  const signals = options.signals ?? process;
  const calls = inflight();
  // The instance serving the connection is the last one built: a discover probe that the client abandons for
  // initialize is replaced by the legacy instance.
  let current: Server | undefined;
  const factory = createServerFactory(source, { ...(options.factory ?? tasksExtension()), onCall: calls.add, onServer: (server) => (current = server) });
  // Whole lines only, none over the limit: the SDK's reader would end the session on an oversized one.
  const lines = limitLines(MAX_MESSAGE_BYTES, (info) => void refuseOversize(info));
  stdin.pipe(lines);
  const transport = new SentTransport(lines, stdout, { maxBufferSize: MAX_MESSAGE_BYTES + 2 });
  // Lazy services start loading once the handshake is answered and the connection has gone quiet, so the
  // handshake and tools/list stay as fast as the bare server's while the first tool call (which comes after the
  // model's turn) finds them ready instead of paying 100-500 ms. A tool call that comes sooner loads them itself;
  // a failure is kept by the loader and becomes every call's answer; a session that ends first never loads them.
  let quiet: NodeJS.Timeout | undefined;
  let warmed = !('load' in source);
  const warm = () => {
    warmed = true;
    if ('load' in source) void source.load().catch(() => {});
  };
  const rearm = () => {
    if (warmed || stopping) return;
    clearTimeout(quiet);
    quiet = setTimeout(warm, QUIET_MS).unref();
  };
  transport.onSent = rearm;
  // Input before the quiet period ends postpones the loading (only once the handshake was answered).
  lines.on('data', () => quiet && rearm());
  const refuseOversize = async ({ bytes, id }: OversizeInfo) => {
    const message = `The message (${formatBytes(bytes)}) is over the ${formatBytes(MAX_MESSAGE_BYTES)} limit of one MCP message and was dropped; task and context take at most ${formatBytes(MAX_TEXT_INPUT_BYTES)} each: pass the bulk as a file path.`;
    logger.warn(`dropped a ${formatBytes(bytes)} message${id === null ? ' (its id is unknown, so it gets no answer)' : ` (request ${JSON.stringify(id)})`}: over the ${formatBytes(MAX_MESSAGE_BYTES)} limit`);
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
    clearTimeout(quiet);
    resolveStop(reason);
  }
  const onSignal = (signal: NodeJS.Signals) => stop(signal);
  const onEnd = () => stop('stdin closed');
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) signals.on(s, onSignal);
  stdin.once('end', onEnd);
  stdin.once('close', onEnd);
  stdout.on('error', onStdoutError);

  // A line that is not JSON-RPC is skipped by the SDK; say so rather than stay silent.
  const handle = serveEras(factory, { transport, onerror: (error) => logger.warn(`MCP over stdio: ${error.message}`) });
  // Log lines also reach the client, as notifications/message (a 2026 client gets them too on stdio).
  const detach = (logger as Partial<LogHub>).attach?.((level, message) => {
    void current?.sendLoggingMessage({ level: level === 'warn' ? 'warning' : level, logger: 'agent-dispatch', data: message }).catch(() => {});
  });
  logger.debug('serving MCP over stdio');
  const reason = await stopped;
  // The client is gone or going: stop mirroring log lines to it first (encoding the first notification costs
  // tens of milliseconds that Claude Code's SIGINT → SIGTERM window of 100 ms should spend on stopping agents).
  detach?.();
  logger.info(`MCP session over stdio ended: ${reason}`);
  try {
    // Only services that exist have agents to stop: shutdown never loads them.
    const deps = 'load' in source ? source.loaded?.() : source;
    await deps?.dispatcher.abortAll(`session ended (${reason})`);
    // Let the stopped calls record their end (cancelled, with the reason) before the store closes.
    await calls.settled(SETTLE_MS);
    await handle.close().catch(() => {});
  } finally {
    for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) signals.off(s, onSignal);
    stdin.off('end', onEnd);
    stdin.off('close', onEnd);
    stdout.off('error', onStdoutError);
    stdin.unpipe(lines);
  }
  return { reason };
}
