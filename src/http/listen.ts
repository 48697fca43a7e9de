// Listening for the HTTP servers (dashboard and MCP over HTTP): a hono fetch handler on a node:http server
// bound to 127.0.0.1 only, with clear errors for a busy or bad port and a close that does not hang on streams.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { DispatchError } from '../shared/errors.js';

/** The only address the servers bind. */
export const LOOPBACK = '127.0.0.1';

/** A listening server. */
export interface Listening {
  server: Server;
  port: number;
  /** Stops accepting, ends open connections (long-lived SSE streams included) and resolves once closed. */
  close(): Promise<void>;
}

// Check a port given by a user: a whole number from 0 (any free port) to 65535 (pure).
export function checkPort(port: unknown, what = 'port'): number {
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new DispatchError('INVALID_INPUT', `The ${what} must be a whole number from 0 to 65535 (got ${String(port)}).`, {
      hint: 'Use 0 to pick any free port.',
    });
  }
  return port;
}

// Serve `fetch` on 127.0.0.1:port. Resolves with the bound port (useful when 0 was asked for).
export async function listenLoopback(fetch: (request: Request) => Response | Promise<Response>, port: number): Promise<Listening> {
  checkPort(port);
  // overrideGlobalObjects: false keeps the global Response intact for the MCP SDK living in the same process.
  const server = createAdaptorServer({ fetch, overrideGlobalObjects: false }) as Server;
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (error.code === 'EADDRINUSE') {
        reject(new DispatchError('INVALID_INPUT', `Port ${port} on ${LOOPBACK} is already in use.`, { hint: 'Choose another with --port, or --port 0 for any free port.', cause: error }));
      } else if (error.code === 'EACCES') {
        reject(new DispatchError('INVALID_INPUT', `Not allowed to listen on port ${port}.`, { hint: 'Use a port above 1023, or --port 0.', cause: error }));
      } else reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, LOOPBACK);
  });
  const bound = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    server,
    port: bound,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        // SSE and MCP streams never go idle: end them so close() does not wait for the clients.
        setTimeout(() => server.closeAllConnections(), 100).unref();
      });
      return closing;
    },
  };
}
