// `serve --http`: the MCP tools over Streamable HTTP for many clients at once, on both protocol eras. The SDK's
// createMcpHandler builds a server instance per request from our factory (2026-07-28 requests carry their whole
// context in the `_meta` envelope and the MCP-Protocol-Version / Mcp-Method / Mcp-Name headers; 2025-11-25 clients
// are served statelessly: no mcp-session-id, so nothing piles up and nothing expires). Every instance shares the
// one set of services: same job store, same cache, same concurrency limit. The SDK checks no Host, Origin or
// token, so the loopback guard (shared with the dashboard) runs first, then the body limit, then the SDK.
import { createHash } from 'node:crypto';
import { Hono } from 'hono';
import { createMcpHandler } from '@modelcontextprotocol/server';
import { DispatchError } from '../shared/errors.js';
import { createServerFactory, type FactoryOptions } from './create-server.js';
import { tasksExtension } from './tasks/extension.js';
import type { ServerDeps } from './deps.js';
import { limitBody } from '../http/body-limit.js';
import { loopbackGuard, type GuardEnv } from '../http/guard.js';
import { checkPort, listenLoopback, LOOPBACK } from '../http/listen.js';
import { MAX_MESSAGE_BYTES } from './limits.js';

/** Default port of `serve --http` (the dashboard uses 7788). Keep in step with `serve --port` and `init --port`. */
export const DEFAULT_HTTP_PORT = 7787;
/** The MCP endpoint's path. */
export const MCP_PATH = '/mcp';
export { MAX_MESSAGE_BYTES };

// The URL clients register, e.g. `claude mcp add --transport http agent-dispatch <url> --header "Authorization: Bearer <token>"`.
export function mcpUrl(port: number = DEFAULT_HTTP_PORT): string {
  return `http://${LOOPBACK}:${port}${MCP_PATH}`;
}

/** What the HTTP app is built from. */
export interface HttpAppOptions {
  deps: ServerDeps;
  token: string;
  /** The listening port, for the Host and Origin checks. */
  port: () => number;
  /** Passed to the server factory (the Tasks seam: `extend`, `tasks`). */
  factory?: Pick<FactoryOptions, 'extend' | 'tasks'>;
}

/** The app and a way to end the exchanges in flight. */
export interface HttpApp {
  app: Hono<GuardEnv>;
  /** Abort the 2026-07-28 exchanges in flight (their handlers see the abort). */
  close(): Promise<void>;
}

const rpcError = (code: number, message: string) => ({ jsonrpc: '2.0', error: { code, message }, id: null });

// Build the app: guard, body limit, then `/mcp` handed to the SDK with the caller's identity.
export function createHttpApp(options: HttpAppOptions): HttpApp {
  const { deps } = options;
  const mcp = createMcpHandler(createServerFactory(deps, options.factory ?? tasksExtension()), {
    maxRequestBodySize: MAX_MESSAGE_BYTES,
    onerror: (error) => deps.logger.debug(`MCP over HTTP: ${error.message}`),
  });
  // Who called, as the tools see it (ToolCtx.principal): the token's hash, never the token itself.
  const authInfo = { token: createHash('sha256').update(options.token).digest('hex'), clientId: 'bearer', scopes: [] };
  const app = new Hono<GuardEnv>();
  app.use('*', loopbackGuard({ token: options.token, port: options.port }));
  app.use(MCP_PATH, limitBody(MAX_MESSAGE_BYTES, (c) => c.json(rpcError(-32600, `Request body too large (${MAX_MESSAGE_BYTES / 1048576} MiB at most).`), 413)));
  app.all(MCP_PATH, (c) => mcp.fetch(c.req.raw, { authInfo }));
  app.notFound((c) => c.json({ error: `Not found: the MCP endpoint is ${MCP_PATH}.` }, 404));
  return { app, close: () => mcp.close() };
}

/** Options of serveHttp. */
export interface ServeHttpOptions {
  deps: ServerDeps;
  /** Loopback only; anything else is refused. */
  host?: typeof LOOPBACK;
  /** Default DEFAULT_HTTP_PORT; 0 picks a free port. */
  port?: number;
  token: string;
  factory?: HttpAppOptions['factory'];
}

/** A running HTTP MCP server. */
export interface HttpServerHandle {
  url: string;
  port: number;
  /** Stop listening, end the exchanges in flight and stop the agents this process runs. */
  close(reason?: string): Promise<void>;
}

// Serve the MCP tools over Streamable HTTP on 127.0.0.1 until close().
export async function serveHttp(options: ServeHttpOptions): Promise<HttpServerHandle> {
  if (options.host !== undefined && options.host !== LOOPBACK) {
    throw new DispatchError('INVALID_INPUT', `The HTTP server listens on ${LOOPBACK} only (got ${String(options.host)}).`, {
      hint: 'Other machines must not reach it: tunnel over SSH if you need remote access.',
    });
  }
  if (typeof options.token !== 'string' || options.token.length < 16) {
    throw new DispatchError('INVALID_INPUT', 'serveHttp needs the access token (at least 16 characters).');
  }
  const port = checkPort(options.port ?? DEFAULT_HTTP_PORT);
  let bound = port;
  const http = createHttpApp({
    deps: options.deps,
    token: options.token,
    port: () => bound,
    ...(options.factory ? { factory: options.factory } : {}),
  });
  const listening = await listenLoopback(http.app.fetch, port);
  bound = listening.port;
  options.deps.logger.info(`serving MCP over HTTP at ${mcpUrl(bound)}`);
  let closing: Promise<void> | undefined;
  return {
    url: mcpUrl(bound),
    port: bound,
    close(reason = 'HTTP server stopped') {
      closing ??= (async () => {
        // Stopped agents answer their calls (cancelled, with the reason) before the exchanges are torn down.
        await options.deps.dispatcher.abortAll(reason);
        await http.close();
        await listening.close();
      })();
      return closing;
    },
  };
}
