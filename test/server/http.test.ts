// `serve --http`: the MCP tools over Streamable HTTP with the SDK client, end to end on the real CLI and the
// stand-in model; refused requests (token, Origin, Host) run nothing.
import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateToken } from '../../src/config/token.js';
import { createHttpApp, MAX_MESSAGE_BYTES, mcpUrl, serveHttp, type HttpServerHandle } from '../../src/server/http.js';
import { text } from '../support/fake-anthropic.js';
import { realServices, type RealServices } from '../web/real-service.js';
import { fakeDispatcher, fakeCatalog } from './fakes.js';
import { MODERN, modernPost } from '../support/modern-client.js';
import { silentLogger } from '../../src/shared/log.js';

const TOKEN = generateToken();
let env: RealServices;
let http: HttpServerHandle;

beforeAll(async () => {
  env = await realServices({ rules: [{ match: 'HTTP_TASK', reply: text('answered over HTTP') }, { match: 'PARALLEL', reply: text('parallel answer', { delayMs: 300 }) }] });
  http = await serveHttp({ deps: env.deps, host: '127.0.0.1', port: 0, token: TOKEN });
});
afterAll(async () => {
  await http?.close();
  await env?.cleanup();
});

async function connectClient(token = TOKEN): Promise<Client> {
  const transport = new StreamableHTTPClientTransport(new URL(http.url), { requestInit: { headers: { Authorization: `Bearer ${token}` } } });
  const client = new Client({ name: 'http-test', version: '1' });
  await client.connect(transport);
  return client;
}

// A raw HTTP request (node:http lets a test set Host, which fetch does not).
function raw(options: { headers: Record<string, string>; body?: string; method?: string; path?: string }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: http.port, path: options.path ?? '/mcp', method: options.method ?? 'POST', headers: options.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const dispatchCall = JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'dispatch', arguments: { agent: 'alpha', task: 'HTTP_TASK refused' } } });

describe('MCP over HTTP', () => {
  it('listens on 127.0.0.1 and names its URL', () => {
    expect(http.url).toBe(mcpUrl(http.port));
    expect(http.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
  });

  it('lists the tools and runs dispatch end to end for an SDK client', async () => {
    const client = await connectClient();
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['dispatch', 'dispatch_async', 'list_agents']));
      const result = await client.callTool({ name: 'dispatch', arguments: { agent: 'alpha', task: 'HTTP_TASK one', caller: 'http-client' } });
      expect(result.isError).toBeFalsy();
      expect(result.structuredContent).toMatchObject({ agent: 'alpha', success: true, result: 'answered over HTTP' });
      const [job] = env.store.list({ caller: 'http-client' });
      expect(job).toMatchObject({ agent: 'alpha', status: 'done', ok: true });
    } finally {
      await client.close();
    }
  });

  it('serves several clients at once on one dispatcher and one job store', async () => {
    const clients = await Promise.all([connectClient(), connectClient()]);
    try {
      const results = await Promise.all(clients.map((c, i) => c.callTool({ name: 'dispatch', arguments: { agent: 'alpha', task: `PARALLEL ${i}`, caller: `client-${i}` } })));
      expect(results.map((r) => (r.structuredContent as { result: string }).result)).toEqual(['parallel answer', 'parallel answer']);
      expect(env.store.count({ caller: 'client-0' }) + env.store.count({ caller: 'client-1' })).toBe(2);
    } finally {
      await Promise.all(clients.map((c) => c.close()));
    }
  });

  it('refuses a client with a wrong token', async () => {
    await expect(connectClient(generateToken())).rejects.toThrow();
  });
});

describe('MCP over HTTP to a 2026-07-28 client (envelope and MCP-Protocol-Version / Mcp-Method / Mcp-Name headers)', () => {
  it('answers server/discover', async () => {
    const { status, answer } = await modernPost(http.url, TOKEN, 1, 'server/discover');
    expect(status).toBe(200);
    expect(answer?.result).toMatchObject({ supportedVersions: expect.arrayContaining([MODERN]), capabilities: { tools: {} } });
  });

  it('lists the tools', async () => {
    const { answer } = await modernPost(http.url, TOKEN, 2, 'tools/list');
    expect(answer?.result.tools).toHaveLength(23);
  });

  it('runs dispatch end to end, with progress on the same response stream', async () => {
    const params = { name: 'dispatch', arguments: { agent: 'alpha', task: 'HTTP_TASK modern', caller: 'modern-http' }, _meta: { progressToken: 'm1' } };
    const { status, contentType, messages, answer } = await modernPost(http.url, TOKEN, 3, 'tools/call', params, { name: 'dispatch' });
    expect(status).toBe(200);
    expect(contentType).toContain('text/event-stream');
    expect(answer?.result.structuredContent).toMatchObject({ agent: 'alpha', success: true, result: 'answered over HTTP' });
    expect(messages.filter((m) => m.method === 'notifications/progress' && m.params.progressToken === 'm1').length).toBeGreaterThan(0);
    expect(env.store.list({ caller: 'modern-http' })).toHaveLength(1);
  });

  it('refuses a tools/call whose Mcp-Name header is missing, before running anything', async () => {
    const before = env.store.count();
    const params = { name: 'dispatch', arguments: { agent: 'alpha', task: 'HTTP_TASK no name' } };
    const { status, answer } = await modernPost(http.url, TOKEN, 4, 'tools/call', params);
    expect(status).toBeGreaterThanOrEqual(400);
    expect(answer?.error?.message).toEqual(expect.any(String));
    expect(env.store.count()).toBe(before);
  });

  it('refuses a modern request without the token with 401, before the SDK sees it', async () => {
    const { status } = await modernPost(http.url, generateToken(), 5, 'server/discover');
    expect(status).toBe(401);
  });
});

describe('refused requests run nothing', () => {
  const good = () => ({ host: `127.0.0.1:${http.port}`, authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' });

  it.each([
    ['the token in the query string instead of the header', `/mcp?token=${TOKEN}`, { authorization: undefined }],
    ['the token in an access_token query parameter', `/mcp?access_token=${TOKEN}`, { authorization: undefined }],
    ['the token as a cookie', '/mcp', { authorization: undefined, cookie: `token=${TOKEN}` }],
    ['the token in Basic credentials', '/mcp', { authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}` }],
    ['a bearer of the token with one character more', '/mcp', { authorization: `Bearer ${TOKEN}0` }],
  ])('answers a tools/call with %s with 401 and starts no agent', async (_, path, change) => {
    const before = env.store.count();
    const headers: Record<string, string> = { ...good() };
    for (const [k, v] of Object.entries(change)) {
      if (v === undefined) delete headers[k];
      else headers[k] = v;
    }
    expect((await raw({ headers, body: dispatchCall, path })).status).toBe(401);
    await new Promise((r) => setTimeout(r, 200));
    expect(env.store.count()).toBe(before);
  });

  it.each([
    ['no token', { authorization: undefined }, 401],
    ['a wrong token', { authorization: `Bearer ${generateToken()}` }, 401],
    ['a token in the wrong scheme', { authorization: `Basic ${TOKEN}` }, 401],
    ['a foreign Origin', { origin: 'http://evil.example' }, 403],
    ['a foreign Host (DNS rebinding)', { host: `evil.example:7789` }, 403],
    ['a loopback Host with another port', { host: '127.0.0.1:1' }, 403],
    ['a rebinding name that starts like loopback', { host: '127.0.0.1.nip.io:PORT' }, 403],
    ['localhost with a trailing dot', { host: 'localhost.:PORT' }, 403],
    ['an opaque (null) Origin', { origin: 'null' }, 403],
    ['the Origin of another port', { origin: 'http://127.0.0.1:1' }, 403],
  ])('answers a tools/call with %s with %s and starts no agent', async (_, change, status) => {
    const before = { requests: env.bb.model.messageRequests().length, jobs: env.store.count() };
    const headers: Record<string, string> = { ...good() };
    for (const [k, v] of Object.entries(change)) {
      if (v === undefined) delete headers[k];
      else headers[k] = v.replace('PORT', String(http.port));
    }
    const response = await raw({ headers, body: dispatchCall });
    expect(response.status).toBe(status);
    await new Promise((r) => setTimeout(r, 200));
    expect(env.bb.model.messageRequests().length).toBe(before.requests);
    expect(env.store.count()).toBe(before.jobs);
  });

  it.each([
    ['answers a chunked POST (no Content-Length)', 'x'.length, 200],
    ['refuses a chunked POST over 10 MiB with 413', 10 * 1024 * 1024, 413],
  ])('%s', async (_, padding, status) => {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 8, method: 'tools/list', params: { _meta: { pad: 'p'.repeat(padding) } } });
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port: http.port, path: '/mcp', method: 'POST', headers: good() }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
      // Two writes: Node sends the body chunked.
      req.write(body.slice(0, 10));
      req.end(body.slice(10));
    });
    expect(answer.status).toBe(status);
    if (status === 200) expect(answer.body).toContain('"dispatch"');
  });

  it('runs the same request when nothing is wrong with it (the control)', async () => {
    const before = env.store.count();
    const response = await raw({ headers: good(), body: dispatchCall });
    expect(response.status).toBe(200);
    expect(response.body).toContain('answered over HTTP');
    expect(env.store.count()).toBe(before + 1);
  });
});

describe('the HTTP app in process', () => {

  const app = createHttpApp({ deps: { dispatcher: fakeDispatcher(), catalog: fakeCatalog(), logger: silentLogger }, token: TOKEN, port: () => 7789 });
  const headers = { host: '127.0.0.1:7789', authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

  it.each([
    ['a body that is not a JSON-RPC message', headers, 'POST', '{}', 400],
    ['a body that is not JSON', headers, 'POST', '{oops', 400],
    ['a GET (2025 clients are served without sessions, so there is no stream to open)', headers, 'GET', undefined, 405],
    ['a DELETE (no session to end)', headers, 'DELETE', undefined, 405],
  ])('answers %s with an error status', async (_, h, method, body, status) => {
    const response = await app.app.request('http://127.0.0.1:7789/mcp', { method, headers: h, ...(body !== undefined ? { body } : {}) });
    expect(response.status).toBe(status);
    expect(await response.json()).toMatchObject({ jsonrpc: '2.0', error: { message: expect.any(String) } });
  });

  it('answers a 2025 tools/call without initialize or session id (stateless)', async () => {
    const call = JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'list_agents', arguments: {} } });
    const response = await app.app.request('http://127.0.0.1:7789/mcp', { method: 'POST', headers: { ...headers, 'mcp-protocol-version': '2025-11-25' }, body: call });
    expect(response.status).toBe(200);
    expect(response.headers.get('mcp-session-id')).toBeNull();
    expect(await response.text()).toContain('"alpha"');
  });

  it('tells the server instance who called: the sha256 of the bearer token (ToolCtx.principal), never the token', async () => {
    const seen: (string | undefined)[] = [];
    const extend = (_server: unknown, context: { authInfo?: { token: string } }) => void seen.push(context.authInfo?.token);
    const traced = createHttpApp({ deps: { dispatcher: fakeDispatcher(), catalog: fakeCatalog(), logger: silentLogger }, token: TOKEN, port: () => 7789, factory: { extend } });
    const call = JSON.stringify({ jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'list_agents', arguments: {} } });
    const response = await traced.app.request('http://127.0.0.1:7789/mcp', { method: 'POST', headers: { ...headers, 'mcp-protocol-version': '2025-11-25' }, body: call });
    expect(response.status).toBe(200);
    expect(seen).toEqual([createHash('sha256').update(TOKEN).digest('hex')]);
  });

  it('refuses a body over 10 MiB (the stdio limit too) with 413', async () => {
    const response = await app.app.request('http://127.0.0.1:7789/mcp', { method: 'POST', headers, body: 'x'.repeat(MAX_MESSAGE_BYTES + 1) });
    expect(response.status).toBe(413);
  });

  it('refuses to listen anywhere but 127.0.0.1', async () => {
    await expect(serveHttp({ deps: env.deps, host: '0.0.0.0' as '127.0.0.1', port: 0, token: TOKEN })).rejects.toThrow(/127\.0\.0\.1 only/);
  });
});
