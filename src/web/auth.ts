// Dashboard sign-in on top of the shared loopback guard. A browser signs in once with `?token=` (the access
// token, or a one-time code made for `--open`), gets an HttpOnly SameSite=Strict session cookie, and is
// redirected to the same URL without the secret. The cookie holds a random session id, never the token:
// browsers send 127.0.0.1 cookies to every port, so another local user's server could see it, and a session
// id dies with this process while the token also guards the HTTP MCP server.
import { randomBytes } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { loopbackGuard, sameSecret, type GuardEnv } from '../server/http-guard.js';
import { html } from './html.js';

const SESSION_MS = 7 * 86_400_000;
const LOGIN_CODE_MS = 120_000;
const MAX_SESSIONS = 1000;

/** The dashboard's guard and sign-in state. */
export interface DashboardAuth {
  /** Host and Origin checks, then a bearer token, a session cookie or a `?token=` sign-in. */
  guard: MiddlewareHandler<GuardEnv>;
  /** For state-changing requests: a cookie-authenticated one must come from our own pages. */
  sameOrigin: MiddlewareHandler<GuardEnv>;
  /** A code that signs a browser in once within two minutes (keeps the token out of the opener's argv). */
  issueLoginCode(): string;
}

// Build the guard for a dashboard listening on `port()`.
export function createDashboardAuth(options: { token: string; port: () => number; now?: () => number }): DashboardAuth {
  const now = options.now ?? Date.now;
  const sessions = new Map<string, number>();
  const codes = new Map<string, number>();
  const cookieName = () => `ad_session_${options.port()}`;

  const validSession = (id: string | undefined) => {
    const expires = id === undefined ? undefined : sessions.get(id);
    if (expires === undefined) return false;
    if (expires > now()) return true;
    sessions.delete(id as string);
    return false;
  };
  const useCode = (code: string) => {
    for (const [known, expires] of codes) {
      if (expires <= now()) codes.delete(known);
      else if (sameSecret(code, known)) {
        codes.delete(known);
        return true;
      }
    }
    return false;
  };
  const signIn = (c: Context<GuardEnv>): Response | false => {
    const given = c.req.query('token');
    if (given === undefined || (c.req.method !== 'GET' && c.req.method !== 'HEAD')) return false;
    if (!sameSecret(given, options.token) && !useCode(given)) return false;
    if (sessions.size >= MAX_SESSIONS) sessions.delete(sessions.keys().next().value as string);
    const id = randomBytes(24).toString('base64url');
    sessions.set(id, now() + SESSION_MS);
    setCookie(c, cookieName(), id, { path: '/', httpOnly: true, sameSite: 'Strict' });
    const url = new URL(c.req.url);
    url.searchParams.delete('token');
    c.header('Cache-Control', 'no-store');
    return c.redirect(`${url.pathname}${url.search}`, 303);
  };

  const guard = loopbackGuard({
    token: options.token,
    port: options.port,
    alternative: (c) => (validSession(getCookie(c, cookieName())) ? true : signIn(c)),
    refuse: (c, status, message) => refusal(c, status, message),
  });

  const sameOrigin: MiddlewareHandler<GuardEnv> = async (c, next) => {
    if (c.get('auth') === 'bearer' || c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    // The guard already refused a foreign Origin; a form POST from our page always carries one. Without it,
    // accept only what the browser itself vouches for as same-origin.
    if (c.req.header('origin') !== undefined || c.req.header('sec-fetch-site') === 'same-origin') return next();
    return refusal(c, 403, 'Forbidden: actions must come from the dashboard itself.');
  };

  return {
    guard,
    sameOrigin,
    issueLoginCode() {
      const code = randomBytes(24).toString('base64url');
      codes.set(code, now() + LOGIN_CODE_MS);
      return code;
    },
  };
}

// A refusal as a small page for browsers, JSON for everything else.
function refusal(c: Context, status: 401 | 403, message: string): Response {
  c.header('Cache-Control', 'no-store');
  if (status === 401) c.header('WWW-Authenticate', 'Bearer realm="agent-dispatch"');
  if (!(c.req.header('accept') ?? '').includes('text/html')) return c.json({ error: message }, status);
  const hint =
    status === 401
      ? html`<p>Open the link that <code>agent-dispatch web</code> printed (it carries the access token once), or run <code>agent-dispatch web --open</code>.</p>`
      : html`<p>Open the dashboard at the address <code>agent-dispatch web</code> printed.</p>`;
  const page = html`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>agent-dispatch: ${status}</title></head>
<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem"><h1>${status === 401 ? 'Sign-in needed' : 'Refused'}</h1><p>${message}</p>${hint}</body></html>`;
  return c.html(page.value, status);
}
