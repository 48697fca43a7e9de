// The runner with a `host:` agent (issue 17): the real Claude Code CLI runs on the "remote host" (this machine
// through a private sshd, under another HOME) against the stand-in model, the prompt travelling on stdin.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunner } from '../../../src/runner/index.js';
import type { ResolvedAgent } from '../../../src/shared/types.js';
import { text, toolUse } from '../../support/fake-anthropic.js';
import { createBackbone, type Backbone } from '../../support/harness.js';
import { promptSent } from '../cli-support.js';
import { canRunSshd, startSshd, type TestSshd } from './sshd.js';

let bb: Backbone;
let sshd: TestSshd;

beforeAll(async () => {
  if (!canRunSshd) return;
  sshd = await startSshd();
  bb = await createBackbone({
    rules: [
      { match: 'WHERE', reply: [toolUse('Bash', { command: 'pwd; echo "conn=$SSH_CONNECTION"; echo "depth=$AGENT_DISPATCH_DEPTH chain=$AGENT_DISPATCH_CHAIN"' }), (ctx) => text(`saw ${ctx.lastToolResult}`)] },
      { match: 'REMEMBER', reply: text('noted') },
    ],
    defaultReply: text('plain answer'),
  });
}, 30_000);
afterAll(async () => {
  await bb?.cleanup();
  sshd?.cleanup();
});

// The agent as a config would resolve it: the CLI's env (stand-in URL, temp HOME, PATH with the pinned CLI) goes in `env`.
function remoteAgent(directory: string, patch: Partial<ResolvedAgent> = {}): ResolvedAgent {
  const env = Object.fromEntries(Object.entries(bb.env()).filter((e): e is [string, string] => e[1] !== undefined));
  return { name: 'remote', directory, description: '', runtime: 'claude', timeout: 60, host: sshd.host, sshOptions: sshd.sshOptions, env, ...patch };
}

describe.skipIf(!canRunSshd)('a remote agent with the real claude CLI', () => {
  it('runs in the remote directory over ssh, with the prompt byte-exact and the dispatch markers set, and resumes its session there', async () => {
    const dir = join(bb.project('remote'), 'with space');
    mkdirSync(dir);
    const runner = createRunner({ env: { ...process.env, AGENT_DISPATCH_DEPTH: '1', AGENT_DISPATCH_CHAIN: 'top' }, ssh: { settings: { controlDir: sshd.controlDir } } });
    const task = 'WHERE "quoted" \'single\' $(touch PWNED) `id` ; $HOME\nsecond line\ttab ü 🚀';
    const result = await runner.run({ agent: remoteAgent(dir, { permissionMode: 'acceptEdits', allowedTools: ['Bash'] }), task });
    expect(result.error).toBeUndefined();
    expect(result).toMatchObject({ ok: true, exitCode: 0, numTurns: 2 });
    expect(result.text).toContain(`${dir}\n`);
    expect(result.text).toMatch(/conn=127\.0\.0\.1 \d+ 127\.0\.0\.1 \d+/);
    expect(result.text).toContain('depth=2 chain=top,remote');
    const first = bb.model.messageRequests().find((r) => r.prompt.startsWith('WHERE'))!;
    expect(promptSent(first.messages)).toBe(task);
    expect(existsSync(join(dir, 'PWNED'))).toBe(false);

    const second = await runner.run({ agent: remoteAgent(dir), task: 'REMEMBER this', resumeSessionId: result.sessionId! });
    expect(second).toMatchObject({ ok: true, sessionId: result.sessionId, text: 'noted' });
    expect(JSON.stringify(bb.model.lastRequest!.messages)).toContain('WHERE');
  }, 60_000);

  it('fails with unreachable and a hint when the remote directory does not exist', async () => {
    const runner = createRunner({ env: process.env, ssh: { settings: { controlDir: sshd.controlDir } } });
    const result = await runner.run({ agent: remoteAgent('/nonexistent/agent-dispatch-dir'), task: 'hello' });
    expect(result.ok).toBe(false);
    expect(result.error).toMatchObject({ type: 'unreachable', message: expect.stringContaining('/nonexistent/agent-dispatch-dir does not exist on') });
  }, 30_000);

  it('fails with unreachable when the CLI is not on the remote PATH', async () => {
    const runner = createRunner({ env: process.env, ssh: { settings: { controlDir: sshd.controlDir } } });
    const result = await runner.run({ agent: remoteAgent(bb.project('nocli'), { env: { PATH: '/usr/bin:/bin' } }), task: 'hello' });
    expect(result.error).toMatchObject({ type: 'unreachable', message: expect.stringContaining('`claude` was not found on') });
  }, 30_000);
});
