// `agent-dispatch worktrees`: list, diff, keep, merge and discard from a terminal, over a real repository.
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createGit } from '../../src/runner/git/git.js';
import { openWorkspace } from '../../src/runner/git/workspace.js';
import { silentLogger } from '../../src/shared/log.js';
import { runResult } from '../server/fakes.js';
import { cleanupRepos, GIT_TEST_ENV, makeRepo } from '../runner/git/repo.js';
import { agentIn } from '../runner/helpers.js';
import { sandbox } from './config-harness.js';

afterAll(cleanupRepos);
const sb = sandbox();

describe('agent-dispatch worktrees', () => {
  it('lists, shows the diff of, keeps, merges and discards worktrees', async () => {
    const repo = makeRepo({ 'README.md': 'hi\n' });
    const git = createGit(GIT_TEST_ENV);
    const worktreesDir = join(sb.home, '.local', 'state', 'agent-dispatch', 'worktrees');
    for (const id of ['aaaaaaaa', 'bbbbbbbb']) {
      const ws = await openWorkspace({ git, worktreesDir, logger: silentLogger }, { agent: agentIn(repo.dir, { name: 'web' }), task: 't', isolation: 'worktree' }, { jobId: id.padEnd(32, '0') });
      writeFileSync(join(ws.cwd, `${id}.txt`), `line of ${id}\n`);
      await ws.finish(runResult());
    }
    const env = { GIT_CONFIG_GLOBAL: '/dev/null', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' };
    const listed = await sb.run(['worktrees'], { env });
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/aaaaaaaa\s+web\s+active\s+main/);
    expect(listed.stdout).toMatch(/bbbbbbbb\s+web\s+active\s+main/);

    const diff = await sb.run(['worktrees', 'diff', 'aaaaaaaa'], { env });
    expect(diff.stdout).toContain('+line of aaaaaaaa');

    expect((await sb.run(['worktrees', 'keep', 'bbbbbbbb'], { env })).stdout).toContain('will be kept');
    const merged = await sb.run(['worktrees', 'merge', 'aaaaaaaa'], { env });
    expect(merged.code, merged.stderr).toBe(0);
    expect(merged.stdout).toContain('Merged agent-dispatch/aaaaaaaa into main (fast-forward');
    expect(readFileSync(join(repo.dir, 'aaaaaaaa.txt'), 'utf8')).toBe('line of aaaaaaaa\n');

    const json = JSON.parse((await sb.run(['worktrees', 'list', '--json'], { env })).stdout);
    expect(json.map((w: { id: string; state: string }) => `${w.id}:${w.state}`).sort()).toEqual(['aaaaaaaa:merged', 'bbbbbbbb:kept']);

    expect((await sb.run(['worktrees', 'discard', 'bbbbbbbb'], { env })).stdout).toBe('Discarded worktree bbbbbbbb.\n');
    const unknown = await sb.run(['worktrees', 'merge', 'zzzz'], { env });
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('No worktree "zzzz"');
  });
});
