// The dashboard's guard, in process: Host and Origin checks (403), the token (401), one-time codes, the sign-in
// form, the session cookie, and the same-origin rule for actions (CSRF).
import { describe, expect, it } from 'vitest';
import { HOST, PORT, TOKEN, appFor, filledStorePerTest, send } from './support.js';

const { env, ids } = filledStorePerTest();

const cookieOf = (response: Response) => (response.headers.get('set-cookie') ?? '').split(';')[0] as string;

describe('the token', () => {
  it('refuses a request without a token with 401 and a Bearer challenge', async () => {
    const response = await send(appFor(env.store), '/', { headers: { authorization: null } });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('Bearer');
    expect(await response.json()).toEqual({ error: expect.stringContaining('Unauthorized') });
  });

  it('refuses a wrong token with 401', async () => {
    const response = await send(appFor(env.store), '/', { headers: { authorization: `Bearer ${TOKEN}x` } });
    expect(response.status).toBe(401);
  });

  it('shows browsers a sign-in page that says where the token comes from', async () => {
    const response = await send(appFor(env.store), '/agents', { headers: { authorization: null, accept: 'text/html' } });
    expect(response.status).toBe(401);
    expect(await response.text()).toContain('run <code>agent-dispatch web</code> again');
  });

  it('serves every page to the right bearer token', async () => {
    const app = appFor(env.store);
    for (const path of ['/', '/jobs', `/jobs/${ids.done}`, `/jobs/${ids.done}/live`, '/agents', '/costs', '/assets/app.css', '/assets/app.js']) {
      expect((await send(app, path)).status, path).toBe(200);
    }
  });
});

// A form POST of the sign-in page, as a browser sends it from our own origin.
const signInForm = (app: ReturnType<typeof appFor>, fields: Record<string, string>, headers: Record<string, string | null> = {}) =>
  send(app, '/signin', {
    method: 'POST',
    headers: { authorization: null, origin: `http://${HOST}`, 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  });

const signedIn = async (app: ReturnType<typeof appFor>) => cookieOf(await send(app, `/?code=${app.issueLoginCode()}`, { headers: { authorization: null } }));

describe('signing in with a one-time code', () => {
  it('trades ?code= for an HttpOnly SameSite=Strict session cookie of 8 hours and moves on without the code', async () => {
    const app = appFor(env.store);
    const code = app.issueLoginCode();
    const response = await send(app, `/agents?code=${code}&x=1`, { headers: { authorization: null } });
    expect(response.status).toBe(200);
    // A page, not a redirect: a Strict cookie is not sent on a redirect of a navigation another site started.
    expect(await response.clone().text()).toContain('<meta http-equiv="refresh" content="0;url=/agents?x=1">');
    const setCookie = response.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(new RegExp(`^ad_session_${PORT}=[\\w-]+; Max-Age=28800; Path=/; HttpOnly; SameSite=Strict$`));
    expect(setCookie).not.toContain(TOKEN);
    expect(setCookie).not.toContain(code);
    const page = await send(app, '/agents?x=1', { headers: { authorization: null, cookie: cookieOf(response) } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<h1>Agents');
  });

  it('keeps a code for the browser when something only asks for the headers (HEAD)', async () => {
    const app = appFor(env.store);
    const code = app.issueLoginCode();
    expect((await send(app, `/?code=${code}`, { method: 'HEAD', headers: { authorization: null } })).status).toBe(401);
    expect((await send(app, `/?code=${code}`, { headers: { authorization: null } })).status).toBe(200);
  });

  it('accepts a code once', async () => {
    const app = appFor(env.store);
    const code = app.issueLoginCode();
    expect((await send(app, `/?code=${code}`, { headers: { authorization: null } })).status).toBe(200);
    expect((await send(app, `/?code=${code}`, { headers: { authorization: null } })).status).toBe(401);
  });

  it('refuses a code after ten minutes', async () => {
    const clock = { now: 1_000_000 };
    const app = appFor(env.store, { now: () => clock.now });
    const code = app.issueLoginCode();
    clock.now += 10 * 60_000;
    expect((await send(app, `/?code=${code}`, { headers: { authorization: null } })).status).toBe(401);
  });

  it('ends a session after 8 hours', async () => {
    const clock = { now: 1_000_000 };
    const app = appFor(env.store, { now: () => clock.now });
    const cookie = await signedIn(app);
    clock.now += 8 * 3_600_000 - 1;
    expect((await send(app, '/', { headers: { authorization: null, cookie } })).status).toBe(200);
    clock.now += 1;
    expect((await send(app, '/', { headers: { authorization: null, cookie } })).status).toBe(401);
  });

  it('tells a browser with a used code to sign in, without the code in the form', async () => {
    const app = appFor(env.store);
    const response = await send(app, '/jobs?code=used-or-made-up&state=done', { headers: { authorization: null, accept: 'text/html' } });
    expect(response.status).toBe(401);
    const page = await response.text();
    expect(page).toContain('That sign-in link has expired or was used already.');
    expect(page).toContain('<input type="hidden" name="next" value="/jobs?state=done">');
  });
});

describe('the access token never signs in from an address', () => {
  it.each([
    ['?token=', `/?token=${TOKEN}`],
    ['?code=', `/?code=${TOKEN}`],
    ['?access_token=', `/?access_token=${TOKEN}`],
  ])('refuses the token in the query as %s', async (_, path) => {
    const response = await send(appFor(env.store), path, { headers: { authorization: null } });
    expect(response.status).toBe(401);
    expect(response.headers.get('set-cookie')).toBeNull();
  });

  it('shows a browser that came with ?token= the sign-in form, without the token in the page', async () => {
    const response = await send(appFor(env.store), `/costs?token=${TOKEN}`, { headers: { authorization: null, accept: 'text/html' } });
    expect(response.status).toBe(401);
    const page = await response.text();
    expect(page).toContain('<form method="post" action="/signin">');
    expect(page).not.toContain(TOKEN);
  });
});

describe('the sign-in page', () => {
  it('is what a browser without a session gets, with a form that returns to the page asked for', async () => {
    const response = await send(appFor(env.store), '/jobs?agent=alpha', { headers: { authorization: null, accept: 'text/html,application/xhtml+xml' } });
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toContain('text/html');
    const page = await response.text();
    expect(page).toContain('<form method="post" action="/signin">');
    expect(page).toContain('<input type="hidden" name="next" value="/jobs?agent=alpha">');
    expect(page).toContain('type="password"');
  });

  it('signs in with the token pasted into the form and returns to the page', async () => {
    const app = appFor(env.store);
    const response = await signInForm(app, { token: ` ${TOKEN}\n`, next: '/costs' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/costs');
    expect((await send(app, '/costs', { headers: { authorization: null, cookie: cookieOf(response) } })).status).toBe(200);
  });

  it('shows the form again for a wrong token', async () => {
    const response = await signInForm(appFor(env.store), { token: 'not-the-token', next: '/x"><script>alert(1)</script>' });
    expect(response.status).toBe(401);
    expect(response.headers.get('set-cookie')).toBeNull();
    const page = await response.text();
    expect(page).toContain('That is not the access token.');
    expect(page).toContain('value="/x&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(page).not.toContain('<script>');
  });

  it.each([
    ['another site', 'https://evil.example/'],
    ['a protocol-relative address', '//evil.example/'],
    ['a backslash trick', '/\\evil.example/'],
    ['a scheme', 'javascript:alert(1)'],
  ])('never redirects to %s', async (_, next) => {
    const response = await signInForm(appFor(env.store), { token: TOKEN, next });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/');
  });

  it.each([
    ['a foreign Origin', { origin: 'http://evil.example' }, 403],
    ['an opaque (null) Origin', { origin: 'null' }, 403],
    ['no Origin and no Sec-Fetch-Site', { origin: null }, 403],
    ['Sec-Fetch-Site: cross-site', { origin: null, 'sec-fetch-site': 'cross-site' }, 403],
  ])('refuses a sign-in POST with %s', async (_, headers, status) => {
    const response = await signInForm(appFor(env.store), { token: TOKEN, next: '/' }, headers);
    expect(response.status).toBe(status);
    expect(response.headers.get('set-cookie')).toBeNull();
  });

  it('refuses a sign-in form over 16 KiB', async () => {
    const response = await signInForm(appFor(env.store), { token: TOKEN, next: `/${'x'.repeat(20_000)}` });
    expect(response.status).toBe(413);
  });

  it('escapes what it echoes back', async () => {
    const response = await send(appFor(env.store), '/jobs?agent="><script>alert(1)</script>&caller=a\'b', { headers: { authorization: null, accept: 'text/html' } });
    const page = await response.text();
    expect(page).not.toContain('<script>alert(1)');
    expect(page).toContain('value="/jobs?agent=%22%3E%3Cscript%3Ealert%281%29%3C%2Fscript%3E&amp;caller=a%27b"');
  });
});

describe('credentials that are not quite right', () => {
  it.each([
    ['no Authorization header', {}],
    ['an empty bearer', { authorization: 'Bearer ' }],
    ['the token in the Basic scheme', { authorization: `Basic ${TOKEN}` }],
    ['the token base64-encoded as Basic credentials', { authorization: `Basic ${Buffer.from(`user:${TOKEN}`).toString('base64')}` }],
    ['the token with a suffix', { authorization: `Bearer ${TOKEN}x` }],
    ['a prefix of the token', { authorization: `Bearer ${TOKEN.slice(0, -1)}` }],
    ['the token as a cookie', { cookie: `ad_session_${PORT}=${TOKEN}` }],
    ['a forged session cookie', { cookie: `ad_session_${PORT}=forged` }],
    ['a real session cookie of another port', { cookie: 'REPLACED' }],
    ['the token in an X-Access-Token header', { 'x-access-token': TOKEN }],
  ])('refuses %s with 401', async (_, headers: Record<string, string>) => {
    const app = appFor(env.store);
    const extra = { ...headers };
    if (extra.cookie === 'REPLACED') extra.cookie = (await signedIn(app)).replace(`ad_session_${PORT}=`, 'ad_session_7789=');
    const response = await send(app, '/', { headers: { authorization: null, ...extra } });
    expect(response.status).toBe(401);
  });
});

describe('DNS rebinding and foreign pages', () => {
  it.each([
    ['a foreign name', 'evil.example:7788'],
    ['a rebinding name without port', 'evil.example'],
    ['another port', '127.0.0.1:7789'],
    ['an IPv6 loopback the server does not bind', '[::1]:7788'],
  ])('refuses a Host header with %s with 403, even with the right token', async (_, host) => {
    const response = await send(appFor(env.store), '/', { headers: { host } });
    expect(response.status).toBe(403);
  });

  it('refuses a request without a Host header', async () => {
    expect((await send(appFor(env.store), '/', { headers: { host: null } })).status).toBe(403);
  });

  it.each([['127.0.0.1:7788'], ['localhost:7788'], ['LOCALHOST:7788']])('accepts the Host %s', async (host) => {
    expect((await send(appFor(env.store), '/', { headers: { host } })).status).toBe(200);
  });

  it.each([['http://evil.example'], ['null'], ['http://127.0.0.1:9999'], ['https://127.0.0.1:7788']])('refuses the Origin %s with 403', async (origin) => {
    expect((await send(appFor(env.store), '/', { headers: { origin } })).status).toBe(403);
  });

  it('accepts its own Origin', async () => {
    expect((await send(appFor(env.store), '/', { headers: { origin: `http://${HOST}` } })).status).toBe(200);
  });

  it('refuses before any route runs: a foreign Host cannot cancel a job', async () => {
    const response = await send(appFor(env.store), `/jobs/${ids.pending}/cancel`, { method: 'POST', headers: { host: 'evil.example:7788' } });
    expect(response.status).toBe(403);
    expect(env.store.get(ids.pending).status).toBe('pending');
  });
});

describe('actions', () => {
  it('refuses a cookie-authenticated POST that carries no Origin', async () => {
    const app = appFor(env.store);
    const response = await send(app, `/jobs/${ids.pending}/cancel`, { method: 'POST', headers: { authorization: null, cookie: await signedIn(app) } });
    expect(response.status).toBe(403);
    expect(env.store.get(ids.pending).status).toBe('pending');
  });

  it.each([
    ['a foreign Origin', { origin: 'http://evil.example' }],
    ['an opaque (null) Origin, as from a sandboxed frame or a file', { origin: 'null' }],
    ['the Origin of another port on 127.0.0.1', { origin: 'http://127.0.0.1:7789' }],
    ['no Origin and Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
    ['no Origin and Sec-Fetch-Site: same-site (another port)', { 'sec-fetch-site': 'same-site' }],
    ['a text/plain body from a foreign page', { origin: 'http://evil.example', 'content-type': 'text/plain' }],
  ])('refuses a cookie-authenticated cancel with %s and leaves the job alone', async (_, headers: Record<string, string>) => {
    const app = appFor(env.store);
    const response = await send(app, `/jobs/${ids.pending}/cancel`, { method: 'POST', headers: { authorization: null, cookie: await signedIn(app), ...headers } });
    expect(response.status).toBe(403);
    expect(env.store.get(ids.pending).status).toBe('pending');
  });

  it.each([['127.0.0.1.nip.io:7788'], ['localhost.evil.example:7788'], ['7f000001.c0a80001.rbndr.us:7788'], ['localhost.:7788'], ['127.1:7788'], ['2130706433:7788']])(
    'refuses a cancel under the rebinding name %s, even with the cookie and its own Origin',
    async (host) => {
      const app = appFor(env.store);
      const response = await send(app, `/jobs/${ids.pending}/cancel`, { method: 'POST', headers: { host, authorization: null, cookie: await signedIn(app), origin: `http://${host}` } });
      expect(response.status).toBe(403);
      expect(env.store.get(ids.pending).status).toBe('pending');
    },
  );

  it('refuses a cancel by GET', async () => {
    const response = await send(appFor(env.store), `/jobs/${ids.pending}/cancel`);
    expect(response.status).toBe(404);
    expect(env.store.get(ids.pending).status).toBe('pending');
  });

  it('cancels from a form POST of its own page and redirects back to the job', async () => {
    const app = appFor(env.store);
    const response = await send(app, `/jobs/${ids.pending}/cancel`, {
      method: 'POST',
      headers: { authorization: null, cookie: await signedIn(app), origin: `http://${HOST}` },
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`/jobs/${ids.pending}?cancel=cancelled`);
    expect(env.store.get(ids.pending).status).toBe('cancelled');
  });

  it('asks the owner to stop a running job and says so', async () => {
    const response = await send(appFor(env.store), `/jobs/${ids.running}/cancel`, { method: 'POST', headers: { accept: 'application/json' } });
    expect(response.status).toBe(200);
    // This process owns the job but does not run it, so the request stays pending until the wait times out.
    expect(await response.json()).toEqual({ outcome: 'cancel_requested', status: 'running' });
    expect(env.store.get(ids.running).cancelRequested).toBe(true);
  });

  it('answers an unknown job with 404', async () => {
    const response = await send(appFor(env.store), `/jobs/${'0'.repeat(32)}/cancel`, { method: 'POST' });
    expect(response.status).toBe(404);
  });
});
