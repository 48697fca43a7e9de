// Dashboard sign-in on top of the shared loopback guard. The long-lived access token (also the bearer of
// `serve --http`) never travels in an address, so it never lands in browser history: a browser signs in with a
// one-time code link (`?code=`, printed by `web` and used by `--open`) or by pasting the token into the sign-in
// form (a same-origin POST). Either gives an HttpOnly SameSite=Strict session cookie holding a random id that
// dies with this process. Browsers send 127.0.0.1 cookies to every port, so sessions are kept short.
import { randomBytes } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { loopbackGuard, sameSecret, type GuardEnv } from '../http/guard.js';
import { forwardPage, refusedPage, safeNext, SIGN_IN_PATH, signInPage } from './signin.js';

/** How long a dashboard session lasts (8 hours: a working day). */
export const SESSION_MS = 8 * 3_600_000;
/** How long a one-time sign-in code works (used once at most). */
export const LOGIN_CODE_MS = 10 * 60_000;
const MAX_SESSIONS = 1000;
const MAX_CODES = 100;

/** The dashboard's guard and sign-in state. */
export interface DashboardAuth {
  /** Host and Origin checks, then a bearer token, a session cookie, a one-time code or the sign-in form. */
  guard: MiddlewareHandler<GuardEnv>;
  /** For state-changing requests: a cookie-authenticated one must come from our own pages. */
  sameOrigin: MiddlewareHandler<GuardEnv>;
  /** A code that signs one browser in, once, within LOGIN_CODE_MS. */
  issueLoginCode(): string;
}

// True when the browser vouches that a request comes from our own pages: an Origin (the guard already refused
// a foreign one; browsers send it on every form POST) or Sec-Fetch-Site: same-origin.
const fromOwnPage = (c: Context) => c.req.header('origin') !== undefined || c.req.header('sec-fetch-site') === 'same-origin';

// Build the guard for a dashboard listening on `port()`.
export function createDashboardAuth(options: { token: string; port: () => number; now?: () => number; tokenFile?: string }): DashboardAuth {
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
  // Set the session cookie, then go on to `next` (by a page for a link: see forwardPage).
  const startSession = (c: Context<GuardEnv>, next: string, by: 'redirect' | 'page'): Response => {
    if (sessions.size >= MAX_SESSIONS) sessions.delete(sessions.keys().next().value as string);
    const id = randomBytes(24).toString('base64url');
    sessions.set(id, now() + SESSION_MS);
    setCookie(c, cookieName(), id, { path: '/', httpOnly: true, sameSite: 'Strict', maxAge: SESSION_MS / 1000 });
    c.header('Cache-Control', 'no-store');
    return by === 'page' ? c.html(forwardPage(next).value) : c.redirect(next, 303);
  };
  const form = (c: Context, status: 200 | 401, next: string, problem?: string) => {
    c.header('Cache-Control', 'no-store');
    return c.html(signInPage({ next, ...(problem ? { problem } : {}), ...(options.tokenFile ? { tokenFile: options.tokenFile } : {}) }).value, status);
  };

  // A browser without a session: a one-time code, the sign-in form's POST, or nothing (the caller answers 401).
  const signIn = async (c: Context<GuardEnv>): Promise<Response | false> => {
    const method = c.req.method;
    if (c.req.path === SIGN_IN_PATH && method === 'POST') {
      if (!fromOwnPage(c)) return refusal(c, 403, 'Forbidden: sign in from the dashboard\'s own sign-in page.');
      const body = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
      const next = safeNext(body.next);
      const token = typeof body.token === 'string' ? body.token.trim() : '';
      if (!sameSecret(token, options.token)) return form(c, 401, next, 'That is not the access token. Paste the whole line from the token file.');
      return startSession(c, next, 'redirect');
    }
    const code = c.req.query('code');
    // GET only: a HEAD (a link preview) must not use up the code.
    if (code === undefined || method !== 'GET') return false;
    const url = new URL(c.req.url);
    url.searchParams.delete('code');
    const next = safeNext(`${url.pathname}${url.search}`);
    if (!useCode(code)) return acceptsHtml(c) ? form(c, 401, next, 'That sign-in link has expired or was used already.') : false;
    return startSession(c, next, 'page');
  };

  const guard = loopbackGuard({
    token: options.token,
    port: options.port,
    alternative: (c) => (validSession(getCookie(c, cookieName())) ? true : signIn(c)),
    refuse: (c, status, message) => {
      if (status === 401 && acceptsHtml(c) && (c.req.method === 'GET' || c.req.method === 'HEAD')) {
        const url = new URL(c.req.url);
        url.searchParams.delete('token');
        return form(c, 401, c.req.path === SIGN_IN_PATH ? '/' : safeNext(`${url.pathname}${url.search}`));
      }
      return refusal(c, status, message);
    },
  });

  const sameOrigin: MiddlewareHandler<GuardEnv> = async (c, next) => {
    if (c.get('auth') === 'bearer' || c.req.method === 'GET' || c.req.method === 'HEAD' || fromOwnPage(c)) return next();
    return refusal(c, 403, 'Forbidden: actions must come from the dashboard itself.');
  };

  return {
    guard,
    sameOrigin,
    issueLoginCode() {
      if (codes.size >= MAX_CODES) codes.delete(codes.keys().next().value as string);
      const code = randomBytes(24).toString('base64url');
      codes.set(code, now() + LOGIN_CODE_MS);
      return code;
    },
  };
}

const acceptsHtml = (c: Context) => (c.req.header('accept') ?? '').includes('text/html');

// A refusal as a small page for browsers, JSON for everything else.
function refusal(c: Context, status: 401 | 403, message: string): Response {
  c.header('Cache-Control', 'no-store');
  if (status === 401) c.header('WWW-Authenticate', 'Bearer realm="agent-dispatch"');
  if (!acceptsHtml(c)) return c.json({ error: message }, status);
  return c.html(refusedPage(message).value, status);
}
