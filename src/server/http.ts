// `serve --http`: the MCP tools over Streamable HTTP for many clients at once. Each client session gets its own
// McpServer (built by createServer), and every session shares the one set of services: same job store, same
// cache, same concurrency limit. Built on hono with the SDK's web-standard transport (the SDK's node:http
// transport is a thin wrapper that converts to that same Request/Response form), so the loopback guard is one
// middleware shared with the dashboard and the whole surface is testable in process with app.request().
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { DispatchError } from '../shared/errors.js';
import type { LogHub } from '../shared/log.js';
import { createServer } from './create-server.js';
import type { ServerDeps } from './deps.js';
import { limitBody } from '../http/body-limit.js';
import { loopbackGuard, type GuardEnv } from '../http/guard.js';
import { checkPort, listenLoopback, LOOPBACK } from '../http/listen.js';
import { MAX_MESSAGE_BYTES } from './limits.js';
import { answerInflight, createSessionRegistry, DEFAULT_MAX_SESSIONS, DEFAULT_SESSION_IDLE_MS, trackCalls, type Session } from './http-sessions.js';

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
  /** Open sessions kept at most (default DEFAULT_MAX_SESSIONS); idle ones make room, busy ones never close. */
  maxSessions?: number;
  /** A session with no call in flight closes after this long without a request (default DEFAULT_SESSION_IDLE_MS). */
  sessionIdleMs?: number;
  now?: () => number;
}

/** The app and its session registry. */
export interface HttpApp {
  app: Hono<GuardEnv>;
  sessionCount(): number;
  /** Close the sessions idle for too long; resolves with how many. */
  sweep(): Promise<number>;
  /** Close every session, answering its calls in flight with a JSON-RPC error that gives `why`. */
  closeSessions(why?: string): Promise<void>;
}

const rpcError = (code: number, message: string) => ({ jsonrpc: '2.0', error: { code, message }, id: null });

// Build the app: guard, then `/mcp` routed to the session named by the mcp-session-id header.
export function createHttpApp(options: HttpAppOptions): HttpApp {
  const { deps } = options;
  const now = options.now ?? Date.now;
  const maxSessions = options.maxSessions ?? DEFAULT_MAX_SESSIONS;
  const registry = createSessionRegistry({ maxSessions, idleMs: options.sessionIdleMs ?? DEFAULT_SESSION_IDLE_MS, now, logger: deps.logger });
  const { sessions } = registry;
  const app = new Hono<GuardEnv>();
  app.use('*', loopbackGuard({ token: options.token, port: options.port }));
  app.use(MCP_PATH, limitBody(MAX_MESSAGE_BYTES, (c) => c.json(rpcError(-32600, `Request body too large (${MAX_MESSAGE_BYTES / 1048576} MiB at most).`), 413)));

  const open = async (): Promise<Session> => {
    const server = createServer(deps);
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: randomUUID,
      onsessioninitialized: (id) => void sessions.set(id, session),
    });
    const session: Session = { server, transport, lastUsed: now(), inflight: new Set() };
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
      session.detach?.();
      void server.close().catch(() => {});
    };
    await server.connect(transport);
    trackCalls(session, now);
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
      const session = registry.get(id);
      if (!session) return c.json(rpcError(-32001, 'Session not found: start a new one with initialize.'), 404);
      // The client ends its session: its calls still running get an answer before their streams close.
      if (c.req.method === 'DELETE') await answerInflight(session, 'the client ended the session');
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
    if (!(await registry.makeRoom())) {
      deps.logger.warn(`refused a new MCP session: all ${maxSessions} sessions have a call in flight`);
      const message = `Too many sessions: all ${maxSessions} open MCP sessions have a call in flight. Retry when one finishes.`;
      return c.json(rpcError(-32000, message), 503, { 'Retry-After': '5' });
    }
    const session = await open();
    return session.transport.handleRequest(c.req.raw, { parsedBody: body });
  });
  app.notFound((c) => c.json({ error: `Not found: the MCP endpoint is ${MCP_PATH}.` }, 404));

  return {
    app,
    sessionCount: () => sessions.size,
    sweep: registry.sweep,
    closeSessions: (why = 'the server is stopping') => registry.closeAll(why),
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
  sessionIdleMs?: number;
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
  const http = createHttpApp({
    deps: options.deps,
    token: options.token,
    port: () => bound,
    ...(options.maxSessions ? { maxSessions: options.maxSessions } : {}),
    ...(options.sessionIdleMs ? { sessionIdleMs: options.sessionIdleMs } : {}),
  });
  const listening = await listenLoopback(http.app.fetch, port);
  bound = listening.port;
  const idleMs = options.sessionIdleMs ?? DEFAULT_SESSION_IDLE_MS;
  const sweeper = setInterval(() => void http.sweep().catch(() => {}), Math.min(60_000, Math.max(1000, idleMs / 2)));
  sweeper.unref();
  options.deps.logger.info(`serving MCP over HTTP at ${mcpUrl(bound)}`);
  let closing: Promise<void> | undefined;
  return {
    url: mcpUrl(bound),
    port: bound,
    sessionCount: http.sessionCount,
    close(reason = 'HTTP server stopped') {
      closing ??= (async () => {
        clearInterval(sweeper);
        await options.deps.dispatcher.abortAll(reason);
        await http.closeSessions(reason);
        await listening.close();
      })();
      return closing;
    },
  };
}
