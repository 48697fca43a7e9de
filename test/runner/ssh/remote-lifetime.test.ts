// What happens to the remote process tree of an SSH agent (issue 17) when the run ends early: cancel, timeout,
// the local ssh or the local server SIGKILLed, the host going silent. The "remote" CLI is a small sh script
// (the real CLI cannot be made to hang on demand) that records its pid and a child's; both must be gone.
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunner } from '../../../src/runner/index.js';
import type { ResolvedAgent, RunEvent } from '../../../src/shared/types.js';
import { REPO_ROOT } from '../../support/harness.js';
import { isAlive, killAll, survivorsAfter, waitFor } from '../../e2e/procs.js';
import { readPids } from '../helpers.js';
import { canRunSshd, startSshd, type TestSshd } from './sshd.js';

// Records its pid and a sleeping child's, hashes the prompt it got on stdin, prints claude's stream-json.
const FAKE_CLAUDE = `#!/bin/sh
echo $$ >> "$FAKE_PIDS"
sleep 300 &
echo $! >> "$FAKE_PIDS"
h=$(sha256sum | cut -d' ' -f1)
echo '{"type":"system","subtype":"init","session_id":"11111111-2222-4333-8444-555555555555"}'
[ "$FAKE_MODE" = hang ] && wait
kill $! 2>/dev/null
echo '{"type":"result","subtype":"success","is_error":false,"result":"sha='$h' pwd='$(pwd)'","session_id":"11111111-2222-4333-8444-555555555555","num_turns":1,"total_cost_usd":0}'
`;

let sshd: TestSshd;
let bin: string;
let project: string;
let n = 0;

beforeAll(async () => {
  if (!canRunSshd) return;
  sshd = await startSshd();
  bin = join(sshd.dir, 'bin');
  project = join(sshd.remoteHome, 'project');
  mkdirSync(bin);
  mkdirSync(project);
  writeFileSync(join(bin, 'claude'), FAKE_CLAUDE);
  chmodSync(join(bin, 'claude'), 0o755);
}, 30_000);
afterAll(() => sshd?.cleanup());

// A fresh pid file per test; the agent finds the fake `claude` first on its PATH.
function fakeAgent(mode: 'hang' | 'ok', patch: Partial<ResolvedAgent> = {}, extraOptions: string[] = []): { agent: ResolvedAgent; pidFile: string } {
  const pidFile = join(sshd.dir, `pids-${++n}`);
  const env = { PATH: `${bin}:/usr/bin:/bin`, FAKE_PIDS: pidFile, FAKE_MODE: mode };
  return { pidFile, agent: { name: 'remote', directory: '~/project', description: '', runtime: 'claude', timeout: 60, host: sshd.host, sshOptions: [...sshd.sshOptions, ...extraOptions], env, ...patch } };
}

const runner = () => createRunner({ env: process.env, killGraceMs: 1000, ssh: { settings: { controlDir: sshd.controlDir } } });
const remotePids = (file: string) => waitFor('the remote pids', () => (readPids(file).length >= 2 ? readPids(file) : undefined), 20_000);

describe.skipIf(!canRunSshd)('the remote process tree of an SSH agent', () => {
  it('delivers a 1 MiB prompt intact on stdin and runs in the remote directory (~ expanded on the host)', async () => {
    const { agent } = fakeAgent('ok');
    const task = 'x'.repeat(1024 * 1024 - 7) + ' ü $(a)';
    const result = await runner().run({ agent, task });
    expect(result.error).toBeUndefined();
    expect(result.text).toBe(`sha=${createHash('sha256').update(task).digest('hex')} pwd=${project}`);
  }, 30_000);

  it('leaves no remote process after a cancel', async () => {
    const { agent, pidFile } = fakeAgent('hang');
    const controller = new AbortController();
    const run = runner().run({ agent, task: 'hang' }, { signal: controller.signal, onEvent: (e: RunEvent) => e.type === 'init' && controller.abort() });
    const pids = await remotePids(pidFile);
    const result = await run;
    expect(result.error?.type).toBe('cancelled');
    const left = await survivorsAfter(pids, 2000);
    killAll(left);
    expect(left).toEqual([]);
  }, 30_000);

  it('leaves no remote process after a timeout', async () => {
    const { agent, pidFile } = fakeAgent('hang', { timeout: 2 });
    const result = await runner().run({ agent, task: 'hang' });
    expect(result.error?.type).toBe('timeout');
    const pids = readPids(pidFile);
    expect(pids).toHaveLength(2);
    const left = await survivorsAfter(pids, 2000);
    killAll(left);
    expect(left).toEqual([]);
  }, 30_000);

  it('leaves no remote process within a second when the local ssh client is SIGKILLed', async () => {
    const { agent, pidFile } = fakeAgent('hang');
    let sshPid = 0;
    const run = runner().run({ agent, task: 'hang' }, { onSpawn: ({ pid }) => (sshPid = pid) });
    const pids = await remotePids(pidFile);
    process.kill(sshPid, 'SIGKILL');
    const left = await survivorsAfter(pids, 1000);
    killAll(left);
    expect(left).toEqual([]);
    expect((await run).ok).toBe(false);
  }, 30_000);

  it('leaves no remote process within a second when the local server is SIGKILLed', async () => {
    const { agent, pidFile } = fakeAgent('hang');
    // A separate Node process runs the dispatch (the built runner), as `serve` would; it dies without any clean-up.
    const script = `import { createRunner } from ${JSON.stringify(join(REPO_ROOT, 'dist', 'index.js'))};
      await createRunner({ ssh: { settings: { controlDir: ${JSON.stringify(sshd.controlDir)} } } }).run({ agent: ${JSON.stringify(agent)}, task: 'hang' });`;
    const server = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'ignore' });
    const pids = await remotePids(pidFile);
    server.kill('SIGKILL');
    const left = await survivorsAfter(pids, 1000);
    killAll(left);
    expect(left).toEqual([]);
  }, 30_000);

  it('refuses a changed host key with unreachable and no remote process', async () => {
    const other = await startSshd();
    try {
      await other.changeHostKey();
      const { agent } = fakeAgent('ok', { host: other.host, sshOptions: other.sshOptions });
      const result = await createRunner({ env: process.env, ssh: { settings: { controlDir: other.controlDir } } }).run({ agent, task: 'hi' });
      expect(result.error).toMatchObject({ type: 'unreachable', message: expect.stringContaining('host key has changed'), hint: expect.stringContaining('ssh-keygen -R') });
    } finally {
      other.cleanup();
    }
  }, 30_000);

  it('fails with unreachable within the keepalive window when the host goes silent, and the remote tree goes when it is gone', async () => {
    const { agent, pidFile } = fakeAgent('hang', {}, ['ServerAliveInterval=1', 'ServerAliveCountMax=2']);
    const run = runner().run({ agent, task: 'hang' });
    const pids = await remotePids(pidFile);
    const daemons = sshd.pids();
    for (const pid of daemons) process.kill(pid, 'SIGSTOP'); // a silent link: no FIN, no RST, no answers
    const started = Date.now();
    const result = await run;
    const waited = Date.now() - started;
    sshd.stop(); // the host side goes away for good: the wrapper sees EOF and ends the CLI's group
    for (const pid of daemons) if (isAlive(pid)) process.kill(pid, 'SIGCONT');
    expect(result.error).toMatchObject({ type: 'unreachable', message: expect.stringMatching(/connection .*was lost/) });
    expect(waited).toBeLessThan(10_000);
    const left = await survivorsAfter(pids, 2000);
    killAll(left);
    expect(left).toEqual([]);
  }, 40_000);
});
