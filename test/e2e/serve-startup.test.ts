// `agent-dispatch serve` answers the handshake before anything heavy is loaded (bin/agent-dispatch.js picks the
// small serve entry, which answers initialize and tools/list from dist/handshake.json). The answers equal the real
// server's; a tool call that arrives early waits for the server and services and succeeds; services that cannot
// start turn into tool errors that say why, and the server keeps answering.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ListToolsResultSchema, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
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

/** Raw tools/list results as they arrived on the wire, before the SDK client parsed them. */
let rawLists: unknown[] = [];

async function connect(env: NodeJS.ProcessEnv) {
  const client = new Client({ name: 'startup-e2e', version: '1' });
  const transport = new StdioClientTransport({ command: process.execPath, args: [AGENT_DISPATCH_BIN, 'serve'], env: env as Record<string, string>, stderr: 'pipe' });
  await client.connect(transport);
  const deliver = transport.onmessage!;
  rawLists = [];
  transport.onmessage = (message: JSONRPCMessage) => {
    const result = (message as { result?: { tools?: unknown } }).result;
    if (result?.tools) rawLists.push(result);
    deliver(message);
  };
  return client;
}

describe('serve start-up', () => {
  it('answers the handshake without loading the server or opening the job store', async () => {
    const setup = setupProduct(bb, { agents: { alpha: { directory: bb.project('alpha') } } }, { AGENT_DISPATCH_STATE_DIR: join(bb.sandbox.root, 'state-lazy') });
    const client = await connect(setup.env);
    expect((await client.listTools()).tools).toHaveLength(21);
    expect(client.getServerVersion()).toMatchObject({ name: 'agent-dispatch' });
    await client.close();
    const stateDir = join(bb.sandbox.root, 'state-lazy');
    expect(existsSync(stateDir) ? readdirSync(stateDir) : []).toEqual([]);
  });

  it('answers tools/list from the build exactly as the real server does', async () => {
    const setup = setupProduct(bb, { agents: { alpha: { directory: bb.project('alpha') } } });
    const client = await connect(setup.env);
    try {
      const early = await client.request({ method: 'tools/list', params: {} }, ListToolsResultSchema);
      await client.callTool({ name: 'list_agents', arguments: {} }); // now the real server is up and answers everything
      const real = await client.request({ method: 'tools/list', params: {} }, ListToolsResultSchema);
      expect(early).toEqual(real);
      expect(rawLists).toHaveLength(2);
      expect(JSON.stringify(rawLists[0])).toBe(JSON.stringify(rawLists[1]));
      expect(await client.ping()).toEqual({});
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
      expect((await client.listTools()).tools).toHaveLength(21);
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
      expect((await client.listTools()).tools).toHaveLength(21);
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
