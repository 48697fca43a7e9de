// The real Claude Code CLI against the stand-in model, in real git repositories: what its tools write shows up in
// the result's changes, and isolated runs get worktrees of their own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findOverlaps } from '../../../src/runner/git/changes.js';
import { text, toolUse } from '../../support/fake-anthropic.js';
import { createBackbone, type Backbone } from '../../support/harness.js';
import { cliRunner } from '../cli-support.js';
import { agentIn } from '../helpers.js';
import { cleanupRepos, makeRepo, tempDir } from './repo.js';

let bb: Backbone;
beforeAll(async () => {
  bb = await createBackbone();
});
afterAll(() => {
  bb.cleanup();
  cleanupRepos();
});

describe('git changes of real Claude Code runs', () => {
  it('lists the file the agent wrote with its Write tool, and marks the user\'s earlier edit as dirty before', async () => {
    const repo = makeRepo({ 'README.md': 'hi\n' });
    repo.write('README.md', 'user edit\n');
    const target = join(repo.dir, 'notes', 'out.txt');
    bb.model.setRules([{ match: 'write the notes', reply: [toolUse('Write', { file_path: target, content: 'one\ntwo\n' }), text('written')] }]);
    const runner = cliRunner(bb, { IS_SANDBOX: '1' });
    const result = await runner.run({ agent: agentIn(repo.dir, { permissionMode: 'bypassPermissions' }), task: 'write the notes' });
    expect(result.ok, result.error?.message).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe('one\ntwo\n');
    expect(result.changes?.files).toEqual([
      { path: 'README.md', status: 'modified', additions: 1, deletions: 1, dirtyBefore: true, changedByRun: false },
      { path: 'notes/out.txt', status: 'untracked', additions: 2, deletions: 0 },
    ]);
    expect(result.changes?.diffStat).toBe('2 files changed, 3 insertions(+), 1 deletion(-)');
    expect(result.worktree).toBeUndefined();
  });

  it('runs two isolated dispatches that write the same file side by side on their own branches, and flags the overlap', async () => {
    const repo = makeRepo({ 'shared.txt': 'base\n' });
    bb.model.setRules([
      { match: 'write A', reply: [toolUse('Bash', { command: 'echo A > shared.txt', description: 'write' }), text('wrote A')] },
      { match: 'write B', reply: [toolUse('Bash', { command: 'echo B > shared.txt', description: 'write' }), text('wrote B')] },
    ]);
    const runner = cliRunner(bb, { IS_SANDBOX: '1' }, { worktreesDir: tempDir('ad-worktrees-') });
    const agent = agentIn(repo.dir, { permissionMode: 'bypassPermissions' });
    const [a, b] = await Promise.all([
      runner.run({ agent, task: 'write A', isolation: 'worktree' }, { jobId: 'aaaa1111'.padEnd(32, '0') }),
      runner.run({ agent, task: 'write B', isolation: 'worktree' }, { jobId: 'bbbb2222'.padEnd(32, '0') }),
    ]);
    expect([a!.ok, b!.ok]).toEqual([true, true]);
    expect([a!.worktree?.branch, b!.worktree?.branch]).toEqual(['agent-dispatch/aaaa1111', 'agent-dispatch/bbbb2222']);
    expect(readFileSync(join(a!.worktree!.path, 'shared.txt'), 'utf8')).toBe('A\n');
    expect(readFileSync(join(b!.worktree!.path, 'shared.txt'), 'utf8')).toBe('B\n');
    expect(readFileSync(join(repo.dir, 'shared.txt'), 'utf8')).toBe('base\n');
    expect(a!.changes?.files).toEqual([{ path: 'shared.txt', status: 'modified', additions: 1, deletions: 1 }]);
    expect(findOverlaps([a!.changes, b!.changes])).toEqual([{ path: 'shared.txt', items: [0, 1] }]);
  });

  it('resumes a session in the worktree it started in', async () => {
    const repo = makeRepo({ 'a.txt': 'a\n' });
    bb.model.setRules([
      { match: 'first step', reply: [toolUse('Bash', { command: 'echo 1 > step1.txt', description: 'step' }), text('step one done')] },
      { match: 'second step', reply: [toolUse('Bash', { command: 'echo 2 > step2.txt', description: 'step' }), text('step two done')] },
    ]);
    const runner = cliRunner(bb, { IS_SANDBOX: '1' }, { worktreesDir: tempDir('ad-worktrees-') });
    const agent = agentIn(repo.dir, { permissionMode: 'bypassPermissions' });
    const first = await runner.run({ agent, task: 'first step', isolation: 'worktree' });
    expect(first.ok, first.error?.message).toBe(true);
    const second = await runner.run({ agent, task: 'second step', resumeSessionId: first.sessionId! });
    expect(second.ok, second.error?.message).toBe(true);
    expect(second.worktree?.path).toBe(first.worktree?.path);
    expect(second.changes?.files.map((f) => f.path)).toEqual(['step1.txt', 'step2.txt']);
  });
});
