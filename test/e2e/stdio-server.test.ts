// The MCP server over stdio, as Claude Code starts it: `node bin/agent-dispatch.js serve`, with the v1 SDK client
// (protocol 2025-11-25) and a raw 2026-07-28 client, the real Claude Code CLI as the agent, and the stand-in model.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { allText, text } from '../support/fake-anthropic.js';
import { createBackbone, type Backbone } from '../support/harness.js';
import { AGENT_DISPATCH_BIN, assertBuilt, setupProduct, type ProductSetup } from '../support/product.js';
import { lineReader, MODERN, modernClient } from '../support/modern-client.js';

let bb: Backbone;
let setup: ProductSetup;
let client: Client;

beforeAll(async () => {
  assertBuilt();
  bb = await createBackbone({ rules: [{ match: 'What project', reply: text('This is the alpha service.') }], defaultReply: text('ok') });
  const alpha = bb.project('alpha', { claudeMd: 'ALPHA_RULES: answer briefly.' });
  setup = setupProduct(bb, { agents: { alpha: { directory: alpha, description: 'The alpha service' } } });
  client = new Client({ name: 'e2e', version: '1' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [AGENT_DISPATCH_BIN, 'serve'], env: setup.env as Record<string, string>, stderr: 'pipe' }));
});

afterAll(async () => {
  await client?.close();
  await bb?.cleanup();
});

describe('agent-dispatch serve over stdio', () => {
  it('lists the configured agents', async () => {
    const res = await client.callTool({ name: 'list_agents', arguments: {} });
    expect(res.structuredContent).toMatchObject({ agents: [{ name: 'alpha', healthy: true, has_claude_md: true }] });
  });

  it('serves dispatch_worktrees over stdio (the listing of isolated runs\' worktrees)', async () => {
    const res = await client.callTool({ name: 'dispatch_worktrees', arguments: {} });
    expect(res.isError, JSON.stringify(res.content)).toBeFalsy();
    expect(res.structuredContent).toMatchObject({ worktrees: [] });
  });

  it('dispatches to the real CLI in the agent directory and returns its answer', async () => {
    const res = await client.callTool({ name: 'dispatch', arguments: { agent: 'alpha', task: 'What project is this?', caller: 'e2e', goal: 'smoke test' } });
    expect(res.isError).toBeFalsy();
    expect(res.structuredContent).toMatchObject({ agent: 'alpha', success: true, result: 'This is the alpha service.', job_id: expect.stringMatching(/^[0-9a-f]{32}$/) });
    const request = bb.model.messageRequests().at(-1)!;
    expect(allText(request)).toContain('ALPHA_RULES');
    expect(allText(request)).toContain('## Dispatched by\ne2e');
  });

  it('answers the same request from the cache without starting the CLI', async () => {
    const before = bb.model.messageRequests().length;
    const res = await client.callTool({ name: 'dispatch', arguments: { agent: 'alpha', task: 'What project is this?', caller: 'e2e', goal: 'smoke test' } });
    expect(res.structuredContent).toMatchObject({ cached: true, result: 'This is the alpha service.' });
    expect(bb.model.messageRequests().length).toBe(before);
    const stats = await client.callTool({ name: 'cache_stats', arguments: {} });
    expect(stats.structuredContent).toMatchObject({ hits: 1, size: 1 });
  });

  it('finds the job of a finished dispatch in the store', async () => {
    const jobs = await client.callTool({ name: 'dispatch_jobs', arguments: {} });
    const [job] = (jobs.structuredContent as { jobs: { job_id: string; status: string }[] }).jobs;
    expect(job).toMatchObject({ status: 'done' });
    const status = await client.callTool({ name: 'dispatch_status', arguments: { job_id: job!.job_id } });
    expect(status.structuredContent).toMatchObject({ status: 'done', result: { success: true } });
  });
});

describe('agent-dispatch serve over stdio to a 2026-07-28 client (raw JSON-RPC lines with the _meta envelope)', () => {
  let child: ChildProcess;
  let client: ReturnType<typeof modernClient>;

  beforeAll(() => {
    child = spawn(process.execPath, [AGENT_DISPATCH_BIN, 'serve'], { env: setup.env, stdio: ['pipe', 'pipe', 'ignore'], shell: false });
    client = modernClient((m) => void child.stdin!.write(`${JSON.stringify(m)}\n`));
    child.stdout!.on('data', lineReader((m) => client.receive(m)));
  });
  afterAll(() => {
    child?.kill('SIGINT');
  });

  it('answers server/discover, as Claude Code opens every connection', async () => {
    const { result } = await client.request('server/discover');
    expect(result).toMatchObject({ supportedVersions: expect.arrayContaining([MODERN]), capabilities: { tools: {} } });
  });

  it('lists the tools', async () => {
    const { result } = await client.request('tools/list');
    expect(result.tools.map((t: { name: string }) => t.name)).toEqual(expect.arrayContaining(['dispatch', 'list_agents', 'dispatch_async']));
  });

  it('dispatches to the real CLI with progress on the request\'s token', async () => {
    const { result } = await client.request('tools/call', { name: 'dispatch_session', arguments: { agent: 'alpha', task: 'What project is this, modern client?' }, _meta: { progressToken: 42 } });
    expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ agent: 'alpha', success: true, result: 'This is the alpha service.' });
    const progress = client.notifications.filter((n) => n.method === 'notifications/progress' && n.params.progressToken === 42);
    expect(progress[0]?.params.message).toMatch(/^alpha · job [0-9a-f]{32} started/);
  });
});
