// Remote directory health for list_agents: batched per host into one ssh call, cached for the TTL.
import { describe, expect, it } from 'vitest';
import type { SshClient } from '../../../src/runner/ssh/connection.js';
import { createRemoteHealth } from '../../../src/runner/ssh/health.js';

// A client that answers "2" (directory with CLAUDE.md) for paths containing "md", "1" for others, "0" for "missing".
function fakeClient(exitCode = 0) {
  const calls: { host: string; args: readonly string[] }[] = [];
  const client: SshClient = {
    settings: {},
    binary: 'ssh',
    env: {},
    async exec(endpoint, _script, args = []) {
      calls.push({ host: endpoint.host, args });
      const stdout = args.map((d) => (d.includes('missing') ? '0' : d.includes('md') ? '2' : '1')).join('\n');
      return { exitCode, signal: null, stdout: exitCode === 0 ? stdout : '', stderr: exitCode === 0 ? '' : 'ssh: connect to host dev port 22: Connection refused', timedOut: false };
    },
  };
  return { client, calls };
}

describe('createRemoteHealth', () => {
  it('checks every directory of a host asked for at once in one call, and answers again from the cache until the TTL passes', async () => {
    const { client, calls } = fakeClient();
    let now = 0;
    const health = createRemoteHealth(client, { ttlMs: 10_000, now: () => now });
    const dirs = Array.from({ length: 20 }, (_, i) => (i === 3 ? '/srv/missing' : i % 2 ? `/srv/md${i}` : `/srv/p${i}`));
    const results = await Promise.all([...dirs.map((d) => health.check({ host: 'dev' }, d)), health.check({ host: 'other' }, '/x')]);
    expect(calls.map((c) => c.host).sort()).toEqual(['dev', 'other']);
    expect(results[0]).toEqual({ directoryExists: true, hasClaudeMd: false });
    expect(results[1]).toEqual({ directoryExists: true, hasClaudeMd: true });
    expect(results[3]).toEqual({ directoryExists: false, hasClaudeMd: false });
    now = 9_999;
    await health.check({ host: 'dev' }, dirs[0]!);
    expect(calls).toHaveLength(2);
    now = 10_000;
    await health.check({ host: 'dev' }, dirs[0]!);
    expect(calls).toHaveLength(3);
  });

  it('reports an unreachable host on each of its directories, with what failed', async () => {
    const { client } = fakeClient(255);
    const health = createRemoteHealth(client);
    expect(await health.check({ host: 'dev' }, '/srv/a')).toMatchObject({ directoryExists: false, error: expect.stringContaining('refused the connection') });
  });
});
