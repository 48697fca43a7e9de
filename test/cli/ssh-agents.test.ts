// SSH agents through the built CLI (issue 17): `test` dispatches on the host, `list` and `doctor` check it there,
// `add --host` refuses a host that does not answer. The host is a private sshd on loopback (test/runner/ssh/sshd.ts).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { text } from '../support/fake-anthropic.js';
import { createBackbone, type Backbone } from '../support/harness.js';
import { AGENT_DISPATCH_BIN, assertBuilt, setupProduct, type ProductSetup } from '../support/product.js';
import { canRunSshd, startSshd, type TestSshd } from '../runner/ssh/sshd.js';

let bb: Backbone;
let sshd: TestSshd;
let setup: ProductSetup;

const run = (args: string[]) => bb.sandbox.runClaude([AGENT_DISPATCH_BIN, ...args], { bin: process.execPath, cwd: bb.sandbox.root, env: setup.env });

beforeAll(async () => {
  if (!canRunSshd) return;
  assertBuilt();
  sshd = await startSshd();
  bb = await createBackbone({ rules: [{ match: 'PING', reply: text('PONG from the host') }], defaultReply: text('OK') });
  const project = bb.project('remote', { claudeMd: 'Remote rules.' });
  // The CLI's environment on the host (stand-in URL, temp HOME, PATH with the pinned CLI) is the agent's env.
  const env = Object.fromEntries(Object.entries(bb.env()).filter((e): e is [string, string] => e[1] !== undefined));
  const remote = { host: sshd.host, ssh_options: sshd.sshOptions, env };
  setup = setupProduct(
    bb,
    { agents: { remote: { directory: project, ...remote }, gone: { directory: '/nonexistent/agent-dir', ...remote } } },
    // A short private runtime dir for the control sockets, as a login session has.
    { XDG_RUNTIME_DIR: mkdtempSync(join(tmpdir(), 'adrt-')) },
  );
}, 30_000);
afterAll(async () => {
  await bb?.cleanup();
  sshd?.cleanup();
});

describe.skipIf(!canRunSshd)('SSH agents in the CLI', () => {
  it('dispatches with `test` on the host', async () => {
    const result = await run(['test', 'remote', 'PING', '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ success: true, result: 'PONG from the host' });
  }, 60_000);

  it('lists the remote agent as healthy (checked on its host) and the one with a missing directory as not', async () => {
    const result = await run(['list', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const rows = JSON.parse(result.stdout) as { name: string; host?: string; healthy: boolean; has_claude_md: boolean }[];
    expect(rows.find((r) => r.name === 'remote')).toMatchObject({ host: sshd.host, healthy: true, has_claude_md: true });
    expect(rows.find((r) => r.name === 'gone')).toMatchObject({ healthy: false });
  }, 30_000);

  it('doctor checks each host: reachable, the CLI and its version, the directory, logged in', async () => {
    const result = await run(['doctor', '--json']);
    const checks = (JSON.parse(result.stdout) as { checks: { id: string; status: string; message: string }[] }).checks;
    expect(checks.find((c) => c.id === 'host.remote')).toMatchObject({ status: 'ok', message: expect.stringMatching(/reachable without a prompt .*claude 2\.\d+\.\d+.* present, logged in/) });
    expect(checks.find((c) => c.id === 'host.gone')).toMatchObject({ status: 'fail', message: expect.stringContaining('/nonexistent/agent-dir does not exist there') });
    // The local directory check leaves remote agents to the host check.
    expect(checks.find((c) => c.id === 'agent.remote')).toBeUndefined();
  }, 60_000);

  it('refuses `add --host` when the host does not answer, saying what failed', async () => {
    const result = await run(['add', 'nope', '/srv/x', '--host', 'root@127.0.0.1:1']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('refused the connection');
  }, 30_000);
});
