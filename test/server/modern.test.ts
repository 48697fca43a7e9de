// The server on protocol 2026-07-28, in process through the SDK's serveStdio entry, driven by a raw JSON-RPC client
// that sends the `_meta` envelope: server/discover, the compact tools/list, tools/call with progress, the v1-shaped
// isError answers, and the seam the Tasks extension plugs into (modern instances only).
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { FactoryOptions } from '../../src/server/create-server.js';
import { declaresExtension } from '../../src/server/envelope.js';
import { silentLogger } from '../../src/shared/log.js';
import { MODERN, modernClient, TASKS_EXTENSION, type Message } from '../support/modern-client.js';
import { fakeCatalog, fakeDispatcher, serveInProcess } from './fakes.js';

async function start(options: FactoryOptions = {}, dispatcher = fakeDispatcher()) {
  const served = serveInProcess({ dispatcher, catalog: fakeCatalog(), logger: silentLogger }, options);
  const { transport } = served;
  const client = modernClient((m) => void transport.send(m as never));
  transport.onmessage = (m) => client.receive(m as Message);
  await transport.start();
  return { client, dispatcher, close: served.close, transport };
}

describe('protocol 2026-07-28 in process', () => {
  it('answers server/discover with 2026-07-28, the tools capability and our identity', async () => {
    const { client, close } = await start();
    const { result } = await client.request('server/discover');
    expect(result.supportedVersions).toContain(MODERN);
    expect(result.capabilities).toMatchObject({ tools: {} });
    expect(result.instructions).toContain('list_agents');
    expect(result._meta['io.modelcontextprotocol/serverInfo']).toMatchObject({ name: 'agent-dispatch' });
    await close();
  });

  it('lists the 23 tools in the same compact form as for 2025 clients, under 12,000 bytes', async () => {
    const { client, close } = await start();
    const { result } = await client.request('tools/list');
    expect(result.tools).toHaveLength(23);
    expect(JSON.stringify(result.tools)).not.toContain('$schema');
    expect(Buffer.byteLength(JSON.stringify({ tools: result.tools }))).toBeLessThan(12_000);
    await close();
  });

  it('answers a retried round whose held run is gone with an error that says where the result is', async () => {
    const { client, close } = await start();
    const elicits = { 'io.modelcontextprotocol/clientCapabilities': { elicitation: { form: {} } } };
    const { result } = await client.request('tools/call', { name: 'dispatch', arguments: { agent: 'alpha', task: 'late' }, requestState: 'f'.repeat(32), inputResponses: {} }, elicits);
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toContain('not waiting for an answer here any more');
    expect(JSON.stringify(result.content)).toContain('dispatch_jobs');
    await close();
  });

  it('runs a dispatch that asks nothing in one round when the client can answer forms', async () => {
    const { client, close } = await start();
    const elicits = { 'io.modelcontextprotocol/clientCapabilities': { elicitation: { form: {} } } };
    const { result } = await client.request('tools/call', { name: 'dispatch', arguments: { agent: 'alpha', task: 'plain' } }, elicits);
    expect(result.resultType).not.toBe('input_required');
    expect(result.structuredContent).toMatchObject({ agent: 'alpha', success: true, result: 'answer to plain' });
    await close();
  });

  it('runs a dispatch and sends progress on the request\'s token', async () => {
    const { client, close, dispatcher } = await start();
    const { result } = await client.request('tools/call', { name: 'dispatch', arguments: { agent: 'alpha', task: 'modern task' }, _meta: { progressToken: 'p7' } });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ agent: 'alpha', success: true, result: 'answer to modern task' });
    expect(dispatcher.requests.at(-1)).toMatchObject({ task: 'modern task' });
    const progress = client.notifications.filter((n) => n.method === 'notifications/progress');
    expect(progress.length).toBeGreaterThan(0);
    expect(progress[0]!.params).toMatchObject({ progressToken: 'p7', message: expect.stringContaining('alpha · job') });
    await close();
  });

  it.each([
    ['an unknown tool', { name: 'nope', arguments: {} }, 'MCP error -32602: Tool nope not found'],
    ['input that fails the schema', { name: 'dispatch', arguments: { agent: 'alpha', task: '   ' } }, 'Invalid arguments for tool dispatch: task is empty; say what the agent should do at task'],
    ['an unknown agent', { name: 'inspect_agent', arguments: { name: 'zeta' } }, 'Unknown agent "zeta"'],
  ])('answers %s with an isError result that says what to fix', async (_, params, message) => {
    const { client, close } = await start();
    const { result, error } = await client.request('tools/call', params);
    expect(error).toBeUndefined();
    expect(result.isError).toBe(true);
    expect(result.content[0].text).toContain(message);
    await close();
  });
});

describe('the extension seam (used by the Tasks work)', () => {
  // What a Tasks implementation registers: the capability and a tasks/* handler, on modern instances only.
  const extend: FactoryOptions['extend'] = (server, context) => {
    if (context.era !== 'modern') return;
    server.registerCapabilities({ extensions: { [TASKS_EXTENSION]: {} } });
    server.setRequestHandler('tasks/get', { params: z.object({ taskId: z.string() }) }, ({ taskId }) => ({ taskId, status: 'working' }) as never);
  };

  it('declares an extension and serves its method on a modern connection', async () => {
    const { client, close } = await start({ extend });
    const { result } = await client.request('server/discover');
    expect(result.capabilities.extensions).toEqual({ [TASKS_EXTENSION]: {} });
    const got = await client.request('tasks/get', { taskId: 'abc' }, { 'io.modelcontextprotocol/clientCapabilities': { extensions: { [TASKS_EXTENSION]: {} } } });
    expect(got.result).toMatchObject({ taskId: 'abc', status: 'working' });
    await close();
  });

  it('leaves 2025 connections without it', async () => {
    const served = serveInProcess({ dispatcher: fakeDispatcher(), catalog: fakeCatalog(), logger: silentLogger }, { extend });
    const client = new Client({ name: 'v1', version: '1' });
    await client.connect(served.transport);
    expect(client.getServerCapabilities()?.extensions).toBeUndefined();
    expect((await client.listTools()).tools).toHaveLength(23);
    await client.close();
    await served.close();
  });

  it('hands a tool\'s task hook to the tasks seam when the seam accepts the call', async () => {
    const seen: string[] = [];
    const tasks: FactoryOptions['tasks'] = {
      accepts: (ctx) => ctx.era === 'modern' && declaresExtension(ctx.mcp, TASKS_EXTENSION),
      answer: async (seed, ctx, tool) => (seen.push(`${tool.name}:${seed.jobId}:${ctx.era}`), { resultType: 'task', taskId: seed.jobId, status: 'working' }),
    };
    const { tool } = await import('../../src/server/tools/list-agents.js');
    const withTask = { ...tool, task: { start: async () => ({ jobId: 'job-1' }) } };
    const { client, close } = await start({ tasks, tools: [withTask] as never });
    const plain = await client.request('tools/call', { name: 'list_agents', arguments: {} });
    expect(plain.result.structuredContent).toMatchObject({ agents: expect.any(Array) });
    const asTask = await client.request('tools/call', { name: 'list_agents', arguments: {} }, { 'io.modelcontextprotocol/clientCapabilities': { extensions: { [TASKS_EXTENSION]: {} } } });
    expect(asTask.result).toMatchObject({ resultType: 'task', taskId: 'job-1', status: 'working' });
    expect(seen).toEqual(['list_agents:job-1:modern']);
    await close();
  });
});
