// Serves the MCP tools over stdio until the client goes away. Claude Code ends a session with SIGINT,
// SIGTERM 100 ms later and SIGKILL about 500 ms after that, and never closes stdin first: so on the first
// signal or on stdin EOF every agent process tree of a call in flight is stopped at once.
import type { Readable, Writable } from 'node:stream';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { ServerDeps } from './deps.js';
import type { LogHub } from '../shared/log.js';
import { createServer } from './create-server.js';

/** Where the server reads, writes and listens for signals (the process by default). */
export interface StdioOptions {
  stdin?: Readable;
  stdout?: Writable;
  /** Something with on/off for SIGINT, SIGTERM and SIGHUP (the process by default). */
  signals?: Pick<NodeJS.Process, 'on' | 'off'>;
}

// Serve until stdin ends or a stop signal arrives; resolves after in-flight agents were stopped.
export async function serveStdio(deps: ServerDeps, options: StdioOptions = {}): Promise<{ reason: string }> {
  const stdin = options.stdin ?? process.stdin;
  const stdout = options.stdout ?? process.stdout;
  const signals = options.signals ?? process;
  const server = createServer(deps);
  const transport = new StdioServerTransport(stdin, stdout);
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

  await server.connect(transport);
  // Log lines also reach the client, as notifications/message.
  const hub = deps.logger as Partial<LogHub>;
  const detach = hub.attach?.((level, message) => {
    void server.server.sendLoggingMessage({ level: level === 'warn' ? 'warning' : level, logger: 'agent-dispatch', data: message }).catch(() => {});
  });
  deps.logger.debug('serving MCP over stdio');
  const reason = await stopped;
  try {
    await deps.dispatcher.abortAll(`session ended (${reason})`);
    await server.close().catch(() => {});
  } finally {
    detach?.();
    for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) signals.off(s, onSignal);
    stdin.off('end', onEnd);
    stdin.off('close', onEnd);
    stdout.off('error', onStdoutError);
  }
  return { reason };
}
