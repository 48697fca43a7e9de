// `serve --http`: the MCP tools over Streamable HTTP for many clients at once. Each client session gets its own
// McpServer (built by createServer), and every session shares the one set of services: same job store, same
// cache, same concurrency limit. Built on hono with the SDK's web-standard transport (the SDK's node:http
// transport is a thin wrapper that converts to that same Request/Response form), so the loopback guard is one
// middleware shared with the dashboard and the whole surface is testable in process with app.request().
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { DispatchError } from '../shared/errors.js';
import type { LogHub } from '../shared/log.js';
import { createServer } from './create-server.js';
import type { ServerDeps } from './deps.js';
import { loopbackGuard, type GuardEnv } from './http-guard.js';
import { checkPort, listenLoopback, LOOPBACK } from './http-listen.js';

/** Default port of `serve --http` (the dashboard uses 7788). Keep in step with `serve --port` and `init --port`. */
export const DEFAULT_HTTP_PORT = 7787;
/** The MCP endpoint's path. */
export const MCP_PATH = '/mcp';
const MAX_BODY_BYTES = 4 * 1024 * 1024;

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
  /** Open sessions kept at most; past it the least recently used one is closed (default 64). */
  maxSessions?: number;
}

/** The app and its session registry. */
export interface HttpApp {
  app: Hono<GuardEnv>;
  sessionCount(): number;
  /** Close every session (their in-flight tool calls are aborted by the SDK). */
  closeSessions(): Promise<void>;
}

interface Session {
  transport: WebStandardStreamableHTTPServerTransport;
  server: McpServer;
  lastUsed: number;
  detach?: () => void;
}

const rpcError = (code: number, message: string) => ({ jsonrpc: '2.0', error: { code, message }, id: null });

// Build the app: guard, then `/mcp` routed to the session named by the mcp-session-id header.
export function createHttpApp(options: HttpAppOptions): HttpApp {
  const { deps } = options;
  const maxSessions = options.maxSessions ?? 64;
  const sessions = new Map<string, Session>();
  const app = new Hono<GuardEnv>();
  app.use('*', loopbackGuard({ token: options.token, port: options.port }));
  app.use(MCP_PATH, bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => c.json(rpcError(-32600, 'Request body too large (4 MiB at most).'), 413) }));

  const open = async (): Promise<Session> => {
    if (sessions.size >= maxSessions) {
      const oldest = [...sessions.entries()].sort((a, b) => a[1].lastUsed - b[1].lastUsed)[0];
      if (oldest) {
        deps.logger.info(`closing the least recently used MCP session ${oldest[0]}: ${maxSessions} sessions are open`);
        await oldest[1].transport.close();
      }
    }
    const server = createServer(deps);
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: randomUUID,
      onsessioninitialized: (id) => void sessions.set(id, session),
    });
    const session: Session = { server, transport, lastUsed: Date.now() };
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
      session.detach?.();
      void server.close().catch(() => {});
    };
    await server.connect(transport);
    // Log lines reach every connected client as notifications/message, as over stdio.
    const detach = (deps.logger as Partial<LogHub>).attach?.((level, message) => {
      void server.server.sendLoggingMessage({ level: level === 'warn' ? 'warning' : level, logger: 'agent-dispatch', data: message }).catch(() => {});
    });
    if (detach) session.detach = detach;
    return session;
  };

  app.all(MCP_PATH, async (c) => {
    const id = c.req.header('mcp-session-id');
    if (id !== undefined) {
      const session = sessions.get(id);
      if (!session) return c.json(rpcError(-32001, 'Session not found: start a new one with initialize.'), 404);
      session.lastUsed = Date.now();
      return session.transport.handleRequest(c.req.raw);
    }
    if (c.req.method !== 'POST') return c.json(rpcError(-32000, 'Bad Request: no mcp-session-id header; start a session with an initialize POST.'), 400);
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return c.json(rpcError(-32700, 'Parse error: the body is not JSON.'), 400);
    }
    const messages = Array.isArray(body) ? body : [body];
    if (!messages.some((m) => isInitializeRequest(m))) {
      return c.json(rpcError(-32000, 'Bad Request: no mcp-session-id header; the first request must be initialize.'), 400);
    }
    const session = await open();
    return session.transport.handleRequest(c.req.raw, { parsedBody: body });
  });
  app.notFound((c) => c.json({ error: `Not found: the MCP endpoint is ${MCP_PATH}.` }, 404));

  return {
    app,
    sessionCount: () => sessions.size,
    async closeSessions() {
      await Promise.all([...sessions.values()].map((s) => s.transport.close().catch(() => {})));
      sessions.clear();
    },
  };
}

/** Options of serveHttp. */
export interface ServeHttpOptions {
  deps: ServerDeps;
  /** Loopback only; anything else is refused. */
  host?: typeof LOOPBACK;
  /** Default DEFAULT_HTTP_PORT; 0 picks a free port. */
  port?: number;
  token: string;
  maxSessions?: number;
}

/** A running HTTP MCP server. */
export interface HttpServerHandle {
  url: string;
  port: number;
  sessionCount(): number;
  /** Stop listening, close every session and stop the agents this process runs. */
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
  const http = createHttpApp({ deps: options.deps, token: options.token, port: () => bound, ...(options.maxSessions ? { maxSessions: options.maxSessions } : {}) });
  const listening = await listenLoopback(http.app.fetch, port);
  bound = listening.port;
  options.deps.logger.info(`serving MCP over HTTP at ${mcpUrl(bound)}`);
  let closing: Promise<void> | undefined;
  return {
    url: mcpUrl(bound),
    port: bound,
    sessionCount: http.sessionCount,
    close(reason = 'HTTP server stopped') {
      closing ??= (async () => {
        await options.deps.dispatcher.abortAll(reason);
        await http.closeSessions();
        await listening.close();
      })();
      return closing;
    },
  };
}
