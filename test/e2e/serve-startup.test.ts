// `agent-dispatch serve` answers the handshake before anything heavy is loaded (bin/agent-dispatch.js picks the
// small serve entry; config, YAML, SQLite and the runner start loading once the handshake's answer is written, so
// the first tool call finds them ready). A tool call that arrives first waits for the services and succeeds; services that cannot start turn into tool errors that say why, and
// the server keeps answering.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { text } from '../support/fake-anthropic.js';
import { createBackbone, type Backbone } from '../support/harness.js';
import { AGENT_DISPATCH_BIN, assertBuilt, setupProduct } from '../support/product.js';

let bb: Backbone;
beforeAll(async () => {
  assertBuilt();
  bb = await createBackbone({ defaultReply: text('ok') });
});
afterAll(async () => {
  await bb?.cleanup();
});

async function connect(env: NodeJS.ProcessEnv) {
  const client = new Client({ name: 'startup-e2e', version: '1' });
  const transport = new StdioClientTransport({ command: process.execPath, args: [AGENT_DISPATCH_BIN, 'serve'], env: env as Record<string, string>, stderr: 'pipe' });
  await client.connect(transport);
  return client;
}

describe('serve start-up', () => {
  it('answers the handshake, then opens the job store before any tool call arrives', async () => {
    const stateDir = join(bb.sandbox.root, 'state-warm');
    const setup = setupProduct(bb, { agents: { alpha: { directory: bb.project('alpha') } } }, { AGENT_DISPATCH_STATE_DIR: stateDir });
    const client = await connect(setup.env);
    try {
      expect((await client.listTools()).tools).toHaveLength(23);
      expect(client.getServerVersion()).toMatchObject({ name: 'agent-dispatch' });
      // No tool call is sent: the services load on their own once the handshake is answered.
      await vi.waitFor(() => expect(existsSync(join(stateDir, 'jobs.db'))).toBe(true), { timeout: 20_000, interval: 50 });
    } finally {
      await client.close();
    }
  });

  it('answers a tool call sent right after the handshake, once its services are up', async () => {
    const setup = setupProduct(bb, { agents: { alpha: { directory: bb.project('alpha'), description: 'first' } } });
    const client = await connect(setup.env);
    try {
      // No tools/list first: the call arrives while the config and the job store may not be loaded yet.
      const agents = await client.callTool({ name: 'list_agents', arguments: {} });
      expect(agents.structuredContent).toMatchObject({ agents: [{ name: 'alpha' }] });
      expect((await client.listTools()).tools).toHaveLength(23);
    } finally {
      await client.close();
    }
  });

  it('lists its tools even when the job store cannot be opened, and each call says why', async () => {
    const blocker = join(bb.sandbox.root, 'not-a-dir');
    writeFileSync(blocker, 'a file where the state dir should be');
    const setup = setupProduct(bb, { agents: { alpha: { directory: bb.project('alpha') } } }, { AGENT_DISPATCH_STATE_DIR: join(blocker, 'state') });
    const client = await connect(setup.env);
    try {
      expect((await client.listTools()).tools).toHaveLength(23);
      const first = await client.callTool({ name: 'list_agents', arguments: {} });
      expect(first.isError).toBe(true);
      expect(JSON.stringify(first.content)).toMatch(/could not start its services: .*not-a-dir/);
      expect(JSON.stringify(first.content)).toMatch(/Hint: Fix the cause/);
      const second = await client.callTool({ name: 'dispatch', arguments: { agent: 'alpha', task: 'hi' } });
      expect(second.isError).toBe(true);
    } finally {
      await client.close();
    }
  });
});
