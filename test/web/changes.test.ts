// The job page's Changes section: the files git saw change, and an isolated run's worktree diff, escaped.
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/web/app.js';
import { runResult } from '../jobs/support/store.js';
import { AGENTS, PORT, send, testStore, TOKEN } from './support.js';

const env = testStore();
afterAll(() => env.cleanup());

describe('the job page', () => {
  it('shows files_changed and the worktree diff, escaped, and nothing for a run outside git', async () => {
    const job = env.store.create({ kind: 'sync', request: { agent: 'alpha', task: 'edit' } });
    env.store.finish(job.id, {
      status: 'done',
      result: runResult({
        changes: {
          files: [
            { path: 'src/<b>.ts', status: 'modified', additions: 3, deletions: 1 },
            { path: 'new.ts', status: 'renamed', from: 'old.ts', additions: 0, deletions: 0 },
            { path: 'user.txt', status: 'modified', additions: 1, deletions: 0, dirtyBefore: true, changedByRun: false },
          ],
          omitted: 4,
          commits: [{ oid: 'c'.repeat(40), subject: 'Fix <parser>' }],
          diffStat: '7 files changed, 4 insertions(+), 1 deletion(-), 1 commit',
        },
        worktree: { path: '/state/worktrees/alpha/abcd1234', branch: 'agent-dispatch/abcd1234', base: 'main', baseOid: 'd'.repeat(40) },
      }),
    });
    const plain = env.store.create({ kind: 'sync', request: { agent: 'alpha', task: 'read' } });
    env.store.finish(plain.id, { status: 'done', result: runResult() });
    const asked: string[] = [];
    const app = createApp({
      store: env.store,
      dispatcher: { cancel: async () => ({ outcome: 'already_terminal', job: env.store.get(job.id) }), reply: async () => Promise.reject(new Error('no approvals here')) },
      agents: () => AGENTS,
      budgets: () => ({ agents: {} }),
      token: TOKEN,
      port: () => PORT,
      worktreeDiff: async (id) => {
        asked.push(id);
        return { text: '+<script>alert(1)</script>\n', truncated: true };
      },
    });
    const html = await (await send(app, `/jobs/${job.id}`)).text();
    expect(html).toContain('<h2>Changes</h2>');
    expect(html).toContain('7 files changed, 4 insertions(+), 1 deletion(-), 1 commit');
    expect(html).toContain('src/&lt;b&gt;.ts');
    expect(html).toContain('old.ts → new.ts');
    expect(html).toContain('modified (dirty before)');
    expect(html).toContain('4 more file(s) not listed');
    expect(html).toContain('Fix &lt;parser&gt;');
    expect(html).toContain('agent-dispatch/abcd1234');
    expect(html).toContain('+&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('agent-dispatch worktrees diff abcd1234');
    expect(asked).toEqual(['agent-dispatch/abcd1234']);

    const other = await (await send(app, `/jobs/${plain.id}`)).text();
    expect(other).not.toContain('<h2>Changes</h2>');
  });
});
