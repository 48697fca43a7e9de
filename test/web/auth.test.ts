// The dashboard's guard, in process: Host and Origin checks (403), the token (401), the sign-in cookie flow,
// one-time codes, and the same-origin rule for actions.
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
    expect(await response.text()).toContain('agent-dispatch web --open');
  });

  it('serves every page to the right bearer token', async () => {
    const app = appFor(env.store);
    for (const path of ['/', '/jobs', `/jobs/${ids.done}`, `/jobs/${ids.done}/live`, '/agents', '/costs', '/assets/app.css', '/assets/app.js']) {
      expect((await send(app, path)).status, path).toBe(200);
    }
  });
});

describe('the sign-in cookie', () => {
  it('trades ?token= for an HttpOnly SameSite=Strict session cookie and redirects to drop the token', async () => {
    const app = appFor(env.store);
    const response = await send(app, `/agents?token=${TOKEN}&x=1`, { headers: { authorization: null } });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/agents?x=1');
    const setCookie = response.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(new RegExp(`^ad_session_${PORT}=[\\w-]+; Path=/; HttpOnly; SameSite=Strict$`));
    expect(setCookie).not.toContain(TOKEN);
    const page = await send(app, '/agents?x=1', { headers: { authorization: null, cookie: cookieOf(response) } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<h1>Agents');
  });

  it('refuses a wrong ?token= and an unknown cookie', async () => {
    const app = appFor(env.store);
    expect((await send(app, '/?token=nope', { headers: { authorization: null } })).status).toBe(401);
    expect((await send(app, '/', { headers: { authorization: null, cookie: `ad_session_${PORT}=forged` } })).status).toBe(401);
  });

  it('accepts a one-time code once', async () => {
    const app = appFor(env.store);
    const code = app.issueLoginCode();
    expect((await send(app, `/?token=${code}`, { headers: { authorization: null } })).status).toBe(303);
    expect((await send(app, `/?token=${code}`, { headers: { authorization: null } })).status).toBe(401);
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
    const signIn = await send(app, `/?token=${TOKEN}`, { headers: { authorization: null } });
    const response = await send(app, `/jobs/${ids.pending}/cancel`, { method: 'POST', headers: { authorization: null, cookie: cookieOf(signIn) } });
    expect(response.status).toBe(403);
    expect(env.store.get(ids.pending).status).toBe('pending');
  });

  it('cancels from a form POST of its own page and redirects back to the job', async () => {
    const app = appFor(env.store);
    const signIn = await send(app, `/?token=${TOKEN}`, { headers: { authorization: null } });
    const response = await send(app, `/jobs/${ids.pending}/cancel`, {
      method: 'POST',
      headers: { authorization: null, cookie: cookieOf(signIn), origin: `http://${HOST}` },
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
