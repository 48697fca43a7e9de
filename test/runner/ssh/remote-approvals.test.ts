// Approvals "ask" at the runner for an agent on an SSH host (issue 18), with a real sshd and the real Claude Code
// CLI there: what the run gets when the forward cannot be opened (no connection reuse, sshd refusing forwards), and
// when the relay behind the forward is gone (the CLI gets a deny and the run goes on).
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunner } from '../../../src/runner/index.js';
import { serveApprovalRelayHttp } from '../../../src/server/approval-http.js';
import { APPROVAL_SECRET_VAR, APPROVAL_SOCKET_VAR } from '../../../src/shared/approvals.js';
import type { ApprovalRelay, ResolvedAgent } from '../../../src/shared/types.js';
import { text, toolUse } from '../../support/fake-anthropic.js';
import { createBackbone, type Backbone } from '../../support/harness.js';
import { canRunSshd, startSshd, type TestSshd } from './sshd.js';

let bb: Backbone;
let sshd: TestSshd;
let closed: TestSshd;
let scratch: string;

beforeAll(async () => {
  if (!canRunSshd) return;
  sshd = await startSshd();
  closed = await startSshd({ extraConfig: ['AllowTcpForwarding no'] });
  scratch = mkdtempSync(join(tmpdir(), 'ad-rapp-'));
  bb = await createBackbone({
    rules: [{ match: 'ASK', reply: [toolUse('Bash', { command: 'touch asked.txt && echo ran' }), (c) => text(`tool said: ${c.lastToolResult}`)] }],
  });
}, 30_000);
afterAll(async () => {
  await bb?.cleanup();
  sshd?.cleanup();
  closed?.cleanup();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

function agentOn(host: TestSshd, directory: string): ResolvedAgent {
  const env = Object.fromEntries(Object.entries(bb.env()).filter((e): e is [string, string] => e[1] !== undefined));
  return { name: 'remote', directory, description: '', runtime: 'claude', timeout: 60, host: host.host, sshOptions: host.sshOptions, env, permissionMode: 'default' };
}

// The relay as the broker hands it over, its HTTP endpoint deciding through `brokerSocket`.
async function relayTo(brokerSocket: string) {
  const served = await serveApprovalRelayHttp({ [APPROVAL_SOCKET_VAR]: brokerSocket, [APPROVAL_SECRET_VAR]: 'not-checked-here' });
  const relay: ApprovalRelay = { command: 'unused', args: [], env: {}, remote: { socketPath: served.socketPath, env: served.env } };
  return { relay, close: served.close };
}

const controlDir = () => {
  const dir = join(scratch, `cm${Math.random().toString(36).slice(2, 8)}`);
  mkdirSync(dir, { mode: 0o700 });
  return dir;
};

describe.skipIf(!canRunSshd)('approvals "ask" over SSH at the runner', () => {
  it('refuses without connection reuse, saying what it needs', async () => {
    const { relay, close } = await relayTo(join(scratch, 'none.sock'));
    try {
      const result = await createRunner({ env: process.env }).run({ agent: agentOn(sshd, bb.project('a')), task: 'ASK' }, { approvalRelay: relay });
      expect(result.ok).toBe(false);
      expect(result.error?.message).toContain('needs SSH connection reuse');
    } finally {
      await close();
    }
  });

  it('fails clearly, naming AllowTcpForwarding, when the host refuses forwards', async () => {
    const { relay, close } = await relayTo(join(scratch, 'none.sock'));
    try {
      const runner = createRunner({ env: process.env, ssh: { settings: { controlDir: controlDir() } } });
      const result = await runner.run({ agent: agentOn(closed, bb.project('b')), task: 'ASK' }, { approvalRelay: relay });
      expect(result.ok).toBe(false);
      expect(result.error).toMatchObject({ type: 'unreachable', message: expect.stringContaining('sshd there refused'), hint: expect.stringContaining('AllowTcpForwarding') });
    } finally {
      await close();
    }
  }, 30_000);

  it('fails closed when the relay is gone before the run starts: the CLI refuses to run without its prompt tool', async () => {
    const { relay, close } = await relayTo(join(scratch, 'none.sock'));
    await close();
    const dir = bb.project('d');
    const runner = createRunner({ env: process.env, ssh: { settings: { controlDir: controlDir() } } });
    const result = await runner.run({ agent: agentOn(sshd, dir), task: 'ASK' }, { approvalRelay: relay });
    expect(existsSync(join(dir, 'asked.txt'))).toBe(false);
    expect(result).toMatchObject({ ok: false, error: { type: 'cli_error', message: expect.stringContaining('mcp__agent-dispatch-approvals__decide (passed via --permission-prompt-tool) not found') } });
  }, 60_000);

  it('does not run the tool when the relay dies while a request waits, and the run goes on', async () => {
    // A broker that never answers; the endpoint is closed once the request reached it (a dead link on our side).
    let reached!: () => void;
    const asked = new Promise<void>((resolve) => (reached = resolve));
    const broker: Server = createServer((socket) => void socket.once('data', () => reached()));
    const brokerSocket = join(scratch, 'hold.sock');
    await new Promise<void>((resolve) => broker.listen(brokerSocket, resolve));
    const { relay, close } = await relayTo(brokerSocket);
    void asked.then(close);
    try {
      const dir = bb.project('c');
      const runner = createRunner({ env: process.env, ssh: { settings: { controlDir: controlDir() } } });
      const result = await runner.run({ agent: agentOn(sshd, dir), task: 'ASK' }, { approvalRelay: relay });
      expect(result.error, JSON.stringify(result)).toBeUndefined();
      // Claude Code 2.1.328 reports a failed permission-prompt call as the tool's error, and does not run the tool.
      expect(existsSync(join(dir, 'asked.txt'))).toBe(false);
      expect(result.text).toMatch(/tool said: .*Error calling tool \(Bash\)/);
    } finally {
      await close();
      broker.close();
    }
  }, 60_000);
});
