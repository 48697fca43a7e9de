// The loopback guard shared by the HTTP MCP server and the dashboard. Order matters: the Host header first
// (a DNS-rebinding page reaches 127.0.0.1 under a foreign name), then the Origin (a page of another site or
// port), then the credential. A refused request gets its status before any route code runs.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';

/** The names a loopback server answers to. `[::1]` is left out: the servers bind 127.0.0.1 only. */
export const LOOPBACK_NAMES = ['127.0.0.1', 'localhost'] as const;

// True when `host` (a Host header) names this server: 127.0.0.1 or localhost with its port (pure).
export function isAllowedHost(host: string | undefined, port: number): boolean {
  if (!host) return false;
  const value = host.trim().toLowerCase();
  return LOOPBACK_NAMES.some((name) => value === `${name}:${port}` || (port === 80 && value === name));
}

// True when the request carries no Origin (a non-browser client) or this server's own origin (pure).
export function isAllowedOrigin(origin: string | undefined, port: number): boolean {
  if (origin === undefined) return true;
  return LOOPBACK_NAMES.some((name) => origin.toLowerCase() === `http://${name}:${port}` || (port === 80 && origin.toLowerCase() === `http://${name}`));
}

// The token of an `Authorization: Bearer <token>` header, or undefined (pure).
export function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization ?? '');
  return match?.[1];
}

// Compare secrets in constant time (hashing first makes the lengths equal).
export function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined || given === '') return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** How a request authenticated; routes read it with `c.get('auth')`. */
export type AuthKind = 'bearer' | 'session';

/** Hono environment of a guarded app. */
export type GuardEnv = { Variables: { auth: AuthKind } };

/** How the guard decides. */
export interface GuardOptions {
  token: string;
  /** The port the server listens on (known only after listen when 0 was asked for). */
  port: () => number;
  /** Another accepted credential (the dashboard's session cookie); runs only after Host and Origin passed. */
  alternative?: (c: Context<GuardEnv>) => boolean | Response | Promise<boolean | Response>;
  /** The body of a refusal; defaults to a short JSON error. */
  refuse?: (c: Context, status: 401 | 403, message: string) => Response;
}

// Build the middleware: 403 for a foreign Host or Origin, 401 without a valid credential.
export function loopbackGuard(options: GuardOptions): MiddlewareHandler<GuardEnv> {
  const refuse =
    options.refuse ??
    ((c: Context, status: 401 | 403, message: string) =>
      c.json({ error: message }, status, status === 401 ? { 'WWW-Authenticate': 'Bearer realm="agent-dispatch"' } : {}));
  return async (c, next) => {
    const port = options.port();
    if (!isAllowedHost(c.req.header('host'), port)) {
      return refuse(c, 403, `Forbidden: this server answers only to 127.0.0.1:${port} or localhost:${port}.`);
    }
    if (!isAllowedOrigin(c.req.header('origin'), port)) {
      return refuse(c, 403, 'Forbidden: requests from other origins are refused.');
    }
    if (sameSecret(bearerToken(c.req.header('authorization')), options.token)) {
      // A bearer header cannot be forged by a browser page, so such requests need no CSRF check later.
      c.set('auth', 'bearer');
      return next();
    }
    const other = options.alternative ? await options.alternative(c) : false;
    if (other instanceof Response) return other;
    if (other) {
      c.set('auth', 'session');
      return next();
    }
    return refuse(c, 401, 'Unauthorized: send the access token as "Authorization: Bearer <token>".');
  };
}
