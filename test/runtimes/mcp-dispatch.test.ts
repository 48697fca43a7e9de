// A Codex agent behind the MCP `dispatch` tools: the real composition root (config store, SQLite job store,
// dispatch service, default adapter registry) and the real Codex CLI, driven by an in-memory MCP client.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../src/cli/services.js';
import { serveInProcess } from '../server/fakes.js';
import { silentLogger } from '../../src/shared/log.js';
import { allText, codexShell } from '../support/fake-openai-responses.js';
import { createRig, RUNTIME_BINS, sharedRules, type RuntimeRig } from './support.js';

let rig: RuntimeRig;
let services: Services;
let client: Client;
let close: () => Promise<void>;
let writerDir: string;

beforeAll(async () => {
  rig = await createRig('codex', { rules: sharedRules(codexShell) });
  writerDir = rig.agent('unused', {}, { 'AGENTS.md': 'Project rule: MARKER-MCP-CX.' }).directory;
  const readerDir = rig.agent('unused').directory;
  const configPath = join(rig.sandbox.root, 'agents.yaml');
  writeFileSync(
    configPath,
    stringify({
      agents: {
        'cx-writer': { directory: writerDir, runtime: 'codex', description: 'Codex agent that may write', permission_mode: 'acceptEdits' },
        'cx-reader': { directory: readerDir, runtime: 'codex', description: 'Codex agent, read-only sandbox' },
      },
    }),
  );
  const env = { ...rig.env, AGENT_DISPATCH_CONFIG: configPath, AGENT_DISPATCH_STATE_DIR: join(rig.sandbox.root, 'state'), AGENT_DISPATCH_CODEX_BIN: RUNTIME_BINS.codex };
  services = createServices({ env, cwd: rig.sandbox.root, stdout: { write: () => true }, stderr: { write: () => true } });
  const served = serveInProcess({ dispatcher: services.dispatcher, catalog: services.catalog, logger: silentLogger });
  client = new Client({ name: 'runtimes-test', version: '1' });
  await client.connect(served.transport);
  close = async () => {
    await client.close();
    await served.close();
  };
});
afterAll(async () => {
  await close?.();
  services?.close();
  await rig?.cleanup();
});

async function call(name: string, args: Record<string, unknown>) {
  const result = (await client.callTool({ name, arguments: args })) as { isError?: boolean; structuredContent?: any; content: { text: string }[] };
  return { isError: result.isError === true, data: result.structuredContent ?? JSON.parse(result.content[0]!.text) };
}

describe('a codex agent through the MCP dispatch tools', () => {
  it('runs a shell command in the agent directory and answers through dispatch', async () => {
    const { isError, data } = await call('dispatch', { agent: 'cx-writer', task: 'write a file please', caller: 'runtimes-test' });
    expect(isError, JSON.stringify(data)).toBe(false);
    expect(data).toMatchObject({ agent: 'cx-writer', success: true, result: expect.stringContaining(writerDir) });
    expect(data.session_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(readFileSync(join(writerDir, 'created.txt'), 'utf8')).toBe('hi\n');
    expect(allText(rig.model.lastRequest!)).toContain('MARKER-MCP-CX');
  });

  it('refuses the write in the read-only sandbox of an agent without a permission mode', async () => {
    const { data } = await call('dispatch', { agent: 'cx-reader', task: 'write a file please (reader)' });
    expect(data).toMatchObject({ success: true, result: expect.stringContaining('Read-only file system') });
  });

  it('continues a conversation through dispatch_session', async () => {
    const first = await call('dispatch_session', { agent: 'cx-reader', task: 'remember PURPLE-42' });
    expect(first.data).toMatchObject({ success: true, result: 'I will remember PURPLE-42.' });
    const second = await call('dispatch_session', { agent: 'cx-reader', task: 'what colour did I say?', session_id: first.data.session_id });
    expect(second.data).toMatchObject({ success: true, result: 'You said PURPLE-42.', session_id: first.data.session_id });
  });

  it('reports an API 401 as an auth error', async () => {
    const { isError, data } = await call('dispatch', { agent: 'cx-reader', task: 'locked out' });
    expect(isError).toBe(true);
    expect(data).toMatchObject({ success: false, error_type: 'auth' });
  });
});
