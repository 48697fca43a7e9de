// The MCP server over stdio, as Claude Code starts it: `node bin/agent-dispatch.js serve`, with the SDK client,
// the real Claude Code CLI as the agent, and the stand-in model.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { allText, text } from '../support/fake-anthropic.js';
import { createBackbone, type Backbone } from '../support/harness.js';
import { AGENT_DISPATCH_BIN, assertBuilt, setupProduct, type ProductSetup } from '../support/product.js';

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
