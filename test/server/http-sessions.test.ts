// Sessions of `serve --http` pile up (Claude Code never ends its HTTP session): a session with a call in flight
// is never closed to make room, idle ones expire by time, a full house of busy sessions refuses new ones, and a
// call cut short by a closing session gets a JSON-RPC error.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterEach, describe, expect, it } from 'vitest';
import { generateToken } from '../../src/config/token.js';
import { createHttpApp, serveHttp, type HttpServerHandle } from '../../src/server/http.js';
import { DEFAULT_SESSION_IDLE_MS } from '../../src/server/http-sessions.js';
import { silentLogger } from '../../src/shared/log.js';
import { fakeCatalog, fakeDispatcher, runResult } from './fakes.js';

const TOKEN = generateToken();

// A dispatcher whose `LONG` task waits until release() is called.
function gatedDispatcher() {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let started!: () => void;
  const running = new Promise<void>((resolve) => (started = resolve));
  const dispatcher = fakeDispatcher(async (req) => {
    if (req.task.startsWith('LONG')) {
      started();
      await gate;
    }
    return runResult({ agent: req.agent, text: `answer to ${req.task}` });
  });
  return { dispatcher, release, running };
}

const clients: Client[] = [];
let server: HttpServerHandle | undefined;
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close().catch(() => {})));
  await server?.close();
  server = undefined;
});

// A client that, like Claude Code, never ends its session (close() drops the connection, sends no DELETE).
async function connect(url: string | URL, fetch?: typeof globalThis.fetch): Promise<Client> {
  const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } }, ...(fetch ? { fetch } : {}) });
  const client = new Client({ name: 'pile', version: '1' });
  await client.connect(transport);
  clients.push(client);
  return client;
}

describe('sessions that pile up', () => {
  it.each([
    ['the default cap', undefined],
    ['a cap of 8', 8],
  ])('lets a long call finish while 70 more sessions open (%s)', async (_, maxSessions) => {
    const { dispatcher, release, running } = gatedDispatcher();
    server = await serveHttp({ deps: { dispatcher, catalog: fakeCatalog(), logger: silentLogger }, port: 0, token: TOKEN, ...(maxSessions ? { maxSessions } : {}) });
    const waiting = await connect(server.url);
    const call = waiting.callTool({ name: 'dispatch', arguments: { agent: 'alpha', task: 'LONG one' } }, undefined, { timeout: 60_000 });
    await running;
    for (let i = 0; i < 70; i += 1) {
      const short = await connect(server.url);
      await short.callTool({ name: 'list_agents', arguments: {} });
    }
    expect(server.sessionCount()).toBeLessThanOrEqual(maxSessions ?? 128);
    release();
    const result = await call;
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ result: 'answer to LONG one' });
  });

  it('refuses a new session with 503 and a JSON-RPC error when every session has a call in flight', async () => {
    const { dispatcher, release } = gatedDispatcher();
    server = await serveHttp({ deps: { dispatcher, catalog: fakeCatalog(), logger: silentLogger }, port: 0, token: TOKEN, maxSessions: 2 });
    const calls = [];
    for (let i = 0; i < 2; i += 1) {
      const c = await connect(server.url);
      calls.push(c.callTool({ name: 'dispatch', arguments: { agent: 'alpha', task: `LONG ${i}` } }));
    }
    await new Promise((r) => setTimeout(r, 100));
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } } }),
    });
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ jsonrpc: '2.0', error: { code: -32000, message: expect.stringContaining('call in flight') } });
    release();
    expect((await Promise.all(calls)).every((r) => !r.isError)).toBe(true);
  });

  it('answers a call cut short by the server stopping with a JSON-RPC error, not silence', async () => {
    const { dispatcher, running } = gatedDispatcher();
    server = await serveHttp({ deps: { dispatcher, catalog: fakeCatalog(), logger: silentLogger }, port: 0, token: TOKEN });
    const client = await connect(server.url);
    const call = client.callTool({ name: 'dispatch', arguments: { agent: 'alpha', task: 'LONG stopped' } }).catch((error: unknown) => error);
    await running;
    // abortAll of the fake dispatcher stops nothing, so the call is still in flight when the session closes.
    await server.close('stopped for the test');
    expect(String(await call)).toMatch(/-32000: agent-dispatch closed this MCP session \(stopped for the test\)/);
  });
});

describe('a session the client ends', () => {
  it('answers its call still in flight with a JSON-RPC error before the session closes', async () => {
    const { dispatcher, running } = gatedDispatcher();
    server = await serveHttp({ deps: { dispatcher, catalog: fakeCatalog(), logger: silentLogger }, port: 0, token: TOKEN });
    const transport = new StreamableHTTPClientTransport(new URL(server.url), { requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } } });
    const client = new Client({ name: 'leaver', version: '1' });
    await client.connect(transport);
    clients.push(client);
    const call = client.callTool({ name: 'dispatch', arguments: { agent: 'alpha', task: 'LONG left behind' } }).catch((error: unknown) => error);
    await running;
    await transport.terminateSession();
    expect(String(await call)).toMatch(/closed this MCP session \(the client ended the session\)/);
    expect(server.sessionCount()).toBe(0);
  });
});

describe('idle expiry', () => {
  const clock = { now: 1_000_000 };
  const inProcess = () => {
    const { dispatcher, release, running } = gatedDispatcher();
    const http = createHttpApp({ deps: { dispatcher, catalog: fakeCatalog(), logger: silentLogger }, token: TOKEN, port: () => 7787, now: () => clock.now });
    // The SDK client's fetch, answered by the app in process (with the Host header a real request carries).
    const fetchApp = (async (input: string | URL | Request, init?: RequestInit) => {
      const headers = new Headers(init?.headers);
      headers.set('host', '127.0.0.1:7787');
      return http.app.request(String(input), { ...init, headers });
    }) as typeof fetch;
    return { http, fetchApp, release, running };
  };

  it('closes a session idle for longer than the idle time, and keeps a busy one however long it runs', async () => {
    const { http, fetchApp, release, running } = inProcess();
    const idle = await connect('http://127.0.0.1:7787/mcp', fetchApp);
    const busy = await connect('http://127.0.0.1:7787/mcp', fetchApp);
    const call = busy.callTool({ name: 'dispatch', arguments: { agent: 'alpha', task: 'LONG busy' } });
    await running;
    clock.now += DEFAULT_SESSION_IDLE_MS - 1000;
    expect(await http.sweep()).toBe(0);
    clock.now += 2000;
    expect(await http.sweep()).toBe(1);
    expect(http.sessionCount()).toBe(1);
    await expect(idle.callTool({ name: 'list_agents', arguments: {} })).rejects.toThrow(/Session not found/);
    release();
    expect((await call).isError).toBeFalsy();
    clock.now += DEFAULT_SESSION_IDLE_MS + 1;
    expect(await http.sweep()).toBe(1);
    expect(http.sessionCount()).toBe(0);
  });

  it('counts the idle time from the last request, not from the start', async () => {
    const { http, fetchApp } = inProcess();
    const client = await connect('http://127.0.0.1:7787/mcp', fetchApp);
    clock.now += DEFAULT_SESSION_IDLE_MS - 1000;
    await client.callTool({ name: 'list_agents', arguments: {} });
    clock.now += DEFAULT_SESSION_IDLE_MS - 1000;
    expect(await http.sweep()).toBe(0);
    expect(http.sessionCount()).toBe(1);
  });
});
