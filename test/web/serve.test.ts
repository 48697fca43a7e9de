// startWeb: a real listener on 127.0.0.1, sign-in over the wire, --open with a one-time code, clean shutdown.
import { request as httpRequest } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startWeb, type WebHandle } from '../../src/web/serve.js';
import { createDispatchService } from '../../src/jobs/service.js';
import { emptyConfig } from '../../src/config/schema.js';
import { createRunner } from '../../src/runner/index.js';
import { AGENTS, TOKEN, fillStore, testStore } from './support.js';

let env: ReturnType<typeof testStore>;
const handles: WebHandle[] = [];
beforeEach(() => {
  env = testStore();
  fillStore(env.store);
});
afterEach(async () => {
  await Promise.all(handles.splice(0).map((h) => h.close()));
  env.cleanup();
});

async function start(options: { port?: number; open?: boolean; openUrl?: (url: string) => void } = {}) {
  const handle = await startWeb({
    store: env.store,
    dispatcher: createDispatchService({ config: () => emptyConfig(), runner: () => createRunner(), store: env.store }),
    agents: () => AGENTS,
    budgets: () => ({ agents: {} }),
    token: TOKEN,
    port: 0,
    ...options,
  });
  handles.push(handle);
  return handle;
}

function get(port: number, path: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, headers }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, headers: res.headers });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('startWeb', () => {
  it('listens on 127.0.0.1 on a free port and prints a sign-in URL carrying the token', async () => {
    const web = await start();
    expect(web.url).toBe(`http://127.0.0.1:${web.port}/`);
    expect(web.signInUrl).toBe(`${web.url}?token=${TOKEN}`);
    const signIn = await fetch(web.signInUrl, { redirect: 'manual' });
    expect(signIn.status).toBe(303);
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const page = await fetch(web.url, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<h1>Jobs');
  });

  it('refuses a rebinding Host on the wire', async () => {
    const web = await start();
    expect((await get(web.port, '/', { host: `attacker.example:${web.port}`, authorization: `Bearer ${TOKEN}` })).status).toBe(403);
    expect((await get(web.port, '/', { host: `localhost:${web.port}`, authorization: `Bearer ${TOKEN}` })).status).toBe(200);
  });

  it('opens the browser with a one-time code, never the token', async () => {
    const opened: string[] = [];
    const web = await start({ open: true, openUrl: (url) => opened.push(url) });
    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatch(new RegExp(`^${web.url}\\?token=[\\w-]+$`));
    expect(opened[0]).not.toContain(TOKEN);
    expect((await fetch(opened[0] as string, { redirect: 'manual' })).status).toBe(303);
    expect((await fetch(opened[0] as string, { redirect: 'manual' })).status).toBe(401);
  });

  it('still starts when no browser can be opened', async () => {
    const web = await start({ open: true, openUrl: () => { throw new Error('no display'); } });
    expect(web.port).toBeGreaterThan(0);
  });

  it('reports a busy port clearly', async () => {
    const web = await start();
    await expect(start({ port: web.port })).rejects.toThrow(`Port ${web.port} on 127.0.0.1 is already in use.`);
  });

  it.each([[-1], [65536], [1.5]])('refuses the port %s', async (port) => {
    await expect(start({ port })).rejects.toThrow('whole number from 0 to 65535');
  });

  it('closes promptly while a page holds a live stream open', async () => {
    const web = await start();
    const stream = await fetch(`${web.url}events`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const reader = (stream.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    await web.close();
    let done = false;
    while (!done) done = (await reader.read().catch(() => ({ done: true }))).done;
    await expect(fetch(web.url)).rejects.toThrow();
  });
});
