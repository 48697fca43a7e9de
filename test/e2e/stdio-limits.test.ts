// `agent-dispatch serve` over real stdio with the real Claude Code CLI as the agent: a message over 10 MiB (past
// what the MCP SDK's reader takes) gets an error answer and a log line while a dispatch in flight carries on; and
// a dispatch whose connection dies ends as a cancelled job that a later session sees, not as one whose owner vanished.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { text } from '../support/fake-anthropic.js';
import { createBackbone, type Backbone } from '../support/harness.js';
import { AGENT_DISPATCH_BIN, assertBuilt, setupProduct, type ProductSetup } from '../support/product.js';

let bb: Backbone;
let setup: ProductSetup;

beforeAll(async () => {
  assertBuilt();
  bb = await createBackbone({
    rules: [
      { match: 'SLOW_BUT_FINE', reply: text('finished despite the flood', { delayMs: 4000 }) },
      { match: 'NEVER_ENDS', reply: text('too late', { delayMs: 60_000 }) },
    ],
    defaultReply: text('ok'),
  });
  const alpha = bb.project('alpha', { claudeMd: 'Alpha.' });
  setup = setupProduct(bb, { agents: { alpha: { directory: alpha, description: 'The alpha service' } } });
});
afterAll(async () => bb?.cleanup());

async function serve() {
  const transport = new StdioClientTransport({ command: process.execPath, args: [AGENT_DISPATCH_BIN, 'serve'], env: setup.env as Record<string, string>, stderr: 'pipe' });
  let stderr = '';
  transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const client = new Client({ name: 'limits-e2e', version: '1' });
  await client.connect(transport);
  return { client, transport, stderr: () => stderr };
}

describe('serve over stdio at its limits', () => {
  it('answers an 11 MiB message with an error and finishes the dispatch in flight', async () => {
    const { client, transport, stderr } = await serve();
    try {
      const answers: JSONRPCMessage[] = [];
      const deliver = transport.onmessage;
      transport.onmessage = (m) => (answers.push(m), deliver?.(m));
      const call = client.callTool({ name: 'dispatch', arguments: { agent: 'alpha', task: 'SLOW_BUT_FINE please' } }, undefined, { timeout: 60_000 });
      await bb.model.waitForRequest((r) => r.prompt.includes('SLOW_BUT_FINE'));
      await transport.send({ jsonrpc: '2.0', id: 'huge-1', method: 'tools/call', params: { name: 'dispatch', arguments: { agent: 'alpha', task: 'x'.repeat(11 * 1024 * 1024) } } });
      await expect.poll(() => answers.find((m) => 'id' in m && m.id === 'huge-1'), { timeout: 20_000 }).toMatchObject({ error: { message: expect.stringContaining('over the 10.0 MiB limit') } });
      const result = await call;
      expect(result.isError, JSON.stringify(result)).toBeFalsy();
      expect(result.structuredContent).toMatchObject({ success: true, result: 'finished despite the flood' });
      expect((await client.callTool({ name: 'list_agents', arguments: {} })).isError).toBeFalsy();
      expect(stderr()).toContain('dropped a 11.0 MiB message (request "huge-1")');
    } finally {
      await client.close();
    }
  }, 90_000);

  it('records a dispatch whose connection died as cancelled, resumable, for the next session to see', async () => {
    const first = await serve();
    const call = first.client.callTool({ name: 'dispatch', arguments: { agent: 'alpha', task: 'NEVER_ENDS here' } }, undefined, { timeout: 60_000 }).catch((e: unknown) => e);
    await bb.model.waitForRequest((r) => r.prompt.includes('NEVER_ENDS'));
    await first.client.close();
    await call;
    expect(first.stderr()).toContain('MCP session over stdio ended: stdin closed');
    const second = await serve();
    try {
      const jobs = await second.client.callTool({ name: 'dispatch_jobs', arguments: {} });
      const job = (jobs.structuredContent as { jobs: { job_id: string; task: string; status: string }[] }).jobs.find((j) => j.task === 'NEVER_ENDS here');
      expect(job?.status).toBe('cancelled');
      const status = await second.client.callTool({ name: 'dispatch_status', arguments: { job_id: job?.job_id } });
      // The agent's session is kept: the model can resume the partial work.
      expect(status.structuredContent).toMatchObject({ status: 'cancelled', result: { success: false, error_type: 'cancelled', session_id: expect.any(String) } });
    } finally {
      await second.client.close();
    }
  }, 90_000);
});
