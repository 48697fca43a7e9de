// list_agents, add_agent and update_agent with SSH agents (issue 17), through a real MCP client, a real config
// store and a private sshd on loopback: remote directories are checked on their host, never here.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHealthCheck } from '../../src/cli/host-health.js';
import { createConfigStore } from '../../src/config/index.js';
import { createCatalog } from '../../src/server/catalog.js';
import { createSshClient } from '../../src/runner/ssh/connection.js';
import { assertRemoteDirectory } from '../../src/runner/ssh/probe.js';
import { canRunSshd, startSshd, type TestSshd } from '../runner/ssh/sshd.js';
import { connect } from './fakes.js';

let sshd: TestSshd;
let dir: string;
let mcp: Awaited<ReturnType<typeof connect>>;

beforeAll(async () => {
  if (!canRunSshd) return;
  sshd = await startSshd();
  dir = mkdtempSync(join(tmpdir(), 'ad-sshcat-'));
  mkdirSync(join(sshd.remoteHome, 'api'));
  mkdirSync(join(sshd.remoteHome, 'web'));
  writeFileSync(join(sshd.remoteHome, 'api', 'CLAUDE.md'), 'rules');
  const remote = { host: sshd.host, ssh_options: sshd.sshOptions };
  writeFileSync(join(dir, 'agents.yaml'), stringify({ agents: { api: { directory: '~/api', description: 'API', ...remote }, gone: { directory: '~/gone', ...remote } } }));
  const client = createSshClient({ controlDir: sshd.controlDir });
  const catalog = createCatalog({
    config: createConfigStore({ path: join(dir, 'agents.yaml') }),
    cwd: dir,
    homedir: dir,
    health: createHealthCheck(process.env, () => client),
    checkRemote: ({ directory, ...endpoint }) => assertRemoteDirectory(client, endpoint, directory),
  });
  mcp = await connect({ catalog });
}, 30_000);
afterAll(async () => {
  await mcp?.close();
  sshd?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const call = (name: string, args: Record<string, unknown>) => mcp.client.callTool({ name, arguments: args }) as Promise<{ isError?: boolean; structuredContent?: any; content: { text: string }[] }>;

describe.skipIf(!canRunSshd)('SSH agents in the MCP tools', () => {
  it('list_agents checks remote directories on their host', async () => {
    const { structuredContent } = await call('list_agents', {});
    const byName = Object.fromEntries(structuredContent.agents.map((a: any) => [a.name, a]));
    expect(byName.api).toMatchObject({ host: sshd.host, directory: '~/api', healthy: true, has_claude_md: true });
    expect(byName.gone).toMatchObject({ healthy: false });
  });

  it('update_agent checks the directory on a new host before saving it', async () => {
    const missing = await call('update_agent', { name: 'gone', host: sshd.host });
    expect(missing.isError).toBe(true);
    expect(missing.content[0]!.text).toContain('~/gone does not exist on');
    const same = await call('update_agent', { name: 'api', host: sshd.host, description: 'API v2' });
    expect(same.isError, same.content[0]?.text).toBeFalsy();
    expect(same.structuredContent).toMatchObject({ name: 'api', directory: '~/api', host: sshd.host, description: 'API v2' });
  });

  it('add_agent with a host that does not answer is an error naming what failed, and adds nothing', async () => {
    const result = await call('add_agent', { name: 'far', directory: '/srv/far', host: 'root@127.0.0.1:1' });
    expect(result.isError).toBe(true);
    expect(result.content[0]!.text).toContain('refused the connection');
    const { structuredContent } = await call('list_agents', {});
    expect(structuredContent.agents.map((a: any) => a.name)).not.toContain('far');
  });

  it.each([
    [{ host: '-oProxyCommand=touch /tmp/x' }, /starts with "-"/],
    [{ host: 'dev; id' }, /Invalid host/],
    [{ host: 'dev', directory: 'relative/dir' }, /absolute/],
  ])('add_agent refuses %j', async (fields, message) => {
    const result = await call('add_agent', { name: 'bad', directory: '/srv/x', ...fields });
    expect(result.isError).toBe(true);
    expect(result.content[0]!.text).toMatch(message);
  });
});
