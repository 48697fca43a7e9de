// The open MCP sessions of `serve --http`. Claude Code does not end its HTTP session when it exits, so sessions
// pile up: one with no call in flight expires after an idle time; at the cap the least recently used idle one
// makes room, and when every session has a call in flight a new one is refused. A session is never closed here
// while it has a call in flight, and a call cut short by a closing session (shutdown, the client's DELETE) is
// answered with a JSON-RPC error rather than left hanging.
import type { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import {
  isJSONRPCErrorResponse,
  isJSONRPCNotification,
  isJSONRPCRequest,
  isJSONRPCResultResponse,
  type RequestId,
} from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from '../shared/log.js';

/** A session closes after this long without a request or a call in flight (30 minutes). */
export const DEFAULT_SESSION_IDLE_MS = 30 * 60_000;
/** Open sessions kept at most (idle ones make room; busy ones are never closed). */
export const DEFAULT_MAX_SESSIONS = 128;
/** The JSON-RPC code of a call ended because its session closed (the SDK's ConnectionClosed). */
export const SESSION_CLOSED_CODE = -32000;

/** One client session. */
export interface Session {
  transport: WebStandardStreamableHTTPServerTransport;
  server: McpServer;
  lastUsed: number;
  /** Requests received and not yet answered. */
  inflight: Set<RequestId>;
  detach?: () => void;
}

// Count the session's calls in flight: a request opens one, its answer (or the client's cancel) ends it.
// Runs after server.connect(), wrapping the handlers the SDK installed on the transport.
export function trackCalls(session: Session, now: () => number): void {
  const { transport } = session;
  const deliver = transport.onmessage;
  transport.onmessage = (message, extra) => {
    if (isJSONRPCRequest(message)) session.inflight.add(message.id);
    else if (isJSONRPCNotification(message) && message.method === 'notifications/cancelled') {
      const id = (message.params as { requestId?: RequestId } | undefined)?.requestId;
      if (id !== undefined) session.inflight.delete(id);
    }
    session.lastUsed = now();
    deliver?.(message, extra);
  };
  const send = transport.send.bind(transport);
  transport.send = (message, options) => {
    if ((isJSONRPCResultResponse(message) || isJSONRPCErrorResponse(message)) && message.id !== undefined) {
      session.inflight.delete(message.id);
      session.lastUsed = now();
    }
    return send(message, options);
  };
}

// Answer every call in flight with a JSON-RPC error saying why, then close the session.
export async function closeSession(session: Session, why: string): Promise<void> {
  await answerInflight(session, why);
  await session.transport.close().catch(() => {});
}

// Answer every call in flight with a JSON-RPC error (the session is about to close).
export async function answerInflight(session: Session, why: string): Promise<void> {
  const message = `agent-dispatch closed this MCP session (${why}); the call was stopped. Check dispatch_jobs for its job, or call again.`;
  for (const id of [...session.inflight]) {
    await session.transport.send({ jsonrpc: '2.0', id, error: { code: SESSION_CLOSED_CODE, message } }).catch(() => {});
  }
}

/** The registry's settings. */
export interface SessionLimits {
  maxSessions: number;
  idleMs: number;
  now: () => number;
  logger: Logger;
}

/** The sessions by id. */
export type SessionRegistry = ReturnType<typeof createSessionRegistry>;

// Build the registry.
export function createSessionRegistry(limits: SessionLimits) {
  const sessions = new Map<string, Session>();
  const idle = (s: Session) => s.inflight.size === 0;

  // Close sessions idle for longer than idleMs; returns how many.
  const sweep = async (): Promise<number> => {
    const cutoff = limits.now() - limits.idleMs;
    const expired = [...sessions].filter(([, s]) => idle(s) && s.lastUsed <= cutoff);
    for (const [id, s] of expired) {
      sessions.delete(id);
      await closeSession(s, 'idle');
    }
    if (expired.length > 0) limits.logger.debug(`closed ${expired.length} idle MCP session(s)`);
    return expired.length;
  };

  return {
    sessions,
    sweep,
    get(id: string): Session | undefined {
      const session = sessions.get(id);
      if (session) session.lastUsed = limits.now();
      return session;
    },
    // Make room for one more session: false when the cap is reached and every session has a call in flight.
    async makeRoom(): Promise<boolean> {
      await sweep();
      if (sessions.size < limits.maxSessions) return true;
      const oldest = [...sessions].filter(([, s]) => idle(s)).sort((a, b) => a[1].lastUsed - b[1].lastUsed)[0];
      if (!oldest) return false;
      limits.logger.info(`closing the least recently used idle MCP session ${oldest[0]}: ${limits.maxSessions} sessions are open`);
      sessions.delete(oldest[0]);
      await closeSession(oldest[1], 'too many sessions');
      return true;
    },
    async closeAll(why: string): Promise<void> {
      const all = [...sessions.values()];
      sessions.clear();
      await Promise.all(all.map((s) => closeSession(s, why)));
    },
  };
}
