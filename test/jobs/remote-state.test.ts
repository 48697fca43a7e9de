// The git state of a remote agent's project, read through a real sshd (issue 17).
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { remoteGitProjectState } from '../../src/jobs/remote-state.js';
import { createSshClient } from '../../src/runner/ssh/connection.js';
import { canRunSshd, startSshd, type TestSshd } from '../runner/ssh/sshd.js';

let sshd: TestSshd;
beforeAll(async () => {
  if (canRunSshd) sshd = await startSshd();
}, 30_000);
afterAll(() => sshd?.cleanup());

describe.skipIf(!canRunSshd)('remoteGitProjectState', () => {
  it('reads HEAD and the dirty state on the host, and nothing for a directory outside git', async () => {
    const repo = join(sshd.remoteHome, 'repo');
    mkdirSync(repo);
    const git = (...args: string[]) => execFileSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@t', ...args]);
    git('init', '-q');
    writeFileSync(join(repo, 'a.txt'), 'a');
    git('add', '.');
    git('commit', '-qm', 'one');
    const head = git('rev-parse', 'HEAD').toString().trim();
    const client = createSshClient({ controlDir: sshd.controlDir });
    const agent = { host: sshd.host, sshOptions: sshd.sshOptions, directory: '~/repo' };
    expect((await remoteGitProjectState(client, agent))?.key).toBe(head);
    writeFileSync(join(repo, 'a.txt'), 'changed');
    expect((await remoteGitProjectState(client, agent))?.key).toMatch(new RegExp(`^${head}\\+dirty:1 \\.M`));
    expect(await remoteGitProjectState(client, { ...agent, directory: sshd.dir + '/none' })).toBeUndefined();
  }, 30_000);
});
