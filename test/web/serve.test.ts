// startWeb: a real listener on 127.0.0.1, sign-in over the wire, --open with a one-time code, clean shutdown.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { request as httpRequest } from 'node:http';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startWeb, type WebHandle } from '../../src/web/serve.js';
import { createDispatchService } from '../../src/jobs/service.js';
import { emptyConfig } from '../../src/config/schema.js';
import { createRunner } from '../../src/runner/index.js';
import { AGENTS, TOKEN, fillStore, testStore } from './support.js';

let env: ReturnType<typeof testStore>;
let openerDir: string;
const handles: WebHandle[] = [];
beforeEach(() => {
  env = testStore();
  fillStore(env.store);
  openerDir = mkdtempSync(join(tmpdir(), 'ad-opener-'));
});
afterEach(async () => {
  await Promise.all(handles.splice(0).map((h) => h.close()));
  env.cleanup();
  rmSync(openerDir, { recursive: true, force: true });
});

async function start(options: { port?: number; open?: boolean; openFile?: (path: string) => void; openerDir?: string } = {}) {
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
  it('listens on 127.0.0.1 on a free port and gives one-time sign-in links that never carry the token', async () => {
    const web = await start();
    expect(web.url).toBe(`http://127.0.0.1:${web.port}/`);
    const link = web.oneTimeUrl();
    expect(link).toMatch(new RegExp(`^${web.url}\\?code=[\\w-]{32}$`));
    expect(link).not.toContain(TOKEN);
    const signIn = await fetch(link, { redirect: 'manual' });
    expect(signIn.status).toBe(200);
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const page = await fetch(web.url, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<h1>Jobs');
    expect((await fetch(link, { redirect: 'manual' })).status).toBe(401);
  });

  it('refuses a rebinding Host on the wire', async () => {
    const web = await start();
    expect((await get(web.port, '/', { host: `attacker.example:${web.port}`, authorization: `Bearer ${TOKEN}` })).status).toBe(403);
    expect((await get(web.port, '/', { host: `localhost:${web.port}`, authorization: `Bearer ${TOKEN}` })).status).toBe(200);
  });

  it('opens the browser on a private file that forwards to a one-time link, so no secret is on a command line', async () => {
    const opened: string[] = [];
    const web = await start({ open: true, openFile: (path) => opened.push(path), openerDir });
    expect(opened).toHaveLength(1);
    const path = opened[0] as string;
    expect(path.startsWith(openerDir)).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(path)).mode & 0o777).toBe(0o700);
    const page = readFileSync(path, 'utf8');
    const link = /content="0;url=([^"]+)"/.exec(page)?.[1] as string;
    expect(link).toMatch(new RegExp(`^${web.url}\\?code=[\\w-]+$`));
    expect(page).not.toContain(TOKEN);
    // The opener's argv is the path alone: nothing in it signs anyone in.
    expect(path).not.toContain(new URL(link).searchParams.get('code'));
    expect((await fetch(link, { redirect: 'manual' })).status).toBe(200);
    expect((await fetch(link, { redirect: 'manual' })).status).toBe(401);
    await web.close();
    expect(existsSync(dirname(path))).toBe(false);
  });

  it('still starts when no browser can be opened', async () => {
    const web = await start({ open: true, openerDir, openFile: () => { throw new Error('no display'); } });
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
