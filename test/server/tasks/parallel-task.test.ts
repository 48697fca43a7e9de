// dispatch_parallel answered as a task: one background job per item and a task group over them, read back from
// the job store (so by any server process), completed with the synchronous call's answer, cancelled as a whole.
import { afterEach, describe, expect, it } from 'vitest';
import { createRig, deferred, fakeRunner, type Rig } from '../../jobs/service-harness.js';
import { runResult } from '../../jobs/support/store.js';
import { groupTaskAnswer, startParallelGroup } from '../../../src/server/tasks/start-parallel.js';
import { createTaskStore } from '../../../src/server/tasks/task-store.js';
import { tool as parallelTool } from '../../../src/server/tools/dispatch-parallel.js';
import type { ToolCtx } from '../../../src/server/tool-def.js';
import { DispatchError } from '../../../src/shared/errors.js';
import { silentLogger } from '../../../src/shared/log.js';
import { fakeCatalog } from '../fakes.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.cleanup();
  rig = undefined;
});

const TOKEN = 'a'.repeat(64);

function setup(runner = fakeRunner((r) => runResult({ agent: r.agent.name, text: `answer to ${r.task}` }))) {
  rig = createRig({ runner });
  const dispatcher = rig.openService({ startSupervisor: () => process.pid });
  const deps = { dispatcher, catalog: fakeCatalog(['api', 'web']), logger: silentLogger };
  const tasks = createTaskStore({ jobs: dispatcher, view: () => ({}), logger: silentLogger });
  return { rig, dispatcher, deps, tasks };
}

const ITEMS = [
  { agent: 'api', task: 'one' },
  { agent: 'web', task: 'two', return_ref: true, summary_chars: 3 },
  { agent: 'api', task: 'three' },
];

// The entries without what differs from run to run (the job ids).
const withoutIds = (answer: unknown) => JSON.parse(JSON.stringify(answer, (key, value: unknown) => (key === 'job_id' || key === 'ref' ? undefined : value))) as unknown;

describe('dispatch_parallel as a task', () => {
  it('runs one job per item and completes with the answer the synchronous call gives', async () => {
    const { deps, tasks, rig, dispatcher } = setup();
    const { group } = await startParallelGroup(deps, 'dispatch_parallel', { dispatches: ITEMS, aggregate: '' });
    const answer = groupTaskAnswer(deps, group);
    expect(answer).toMatchObject({ resultType: 'task', taskId: group.id, status: 'working', statusMessage: '0/3 done · 3 queued' });
    expect(group.id).toMatch(/^[0-9a-f]{32}$/);
    expect(group.members.map((m) => m.jobId)).not.toContain(group.id);

    await rig.service.runJob(group.members[0]!.jobId!);
    expect(tasks.get(group.id)).toMatchObject({ status: 'working', statusMessage: '1/3 done · 2 queued' });
    for (const member of group.members.slice(1)) await rig.service.runJob(member.jobId!);
    const done = tasks.get(group.id);
    expect(done).toMatchObject({ status: 'completed', statusMessage: '3/3 done · finished' });

    const noop = { onJob() {}, onEvent() {}, close() {} };
    const ctx = { deps: { ...deps, dispatcher }, era: 'modern', signal: new AbortController().signal, mcp: {}, progress: () => noop } as unknown as ToolCtx;
    const sync = await parallelTool.handler({ dispatches: ITEMS, aggregate: '' }, ctx);
    const text = (answer: { content: unknown[] } | undefined) => JSON.parse((answer?.content[0] as { text: string }).text) as unknown;
    expect(withoutIds(done.result?.structuredContent)).toEqual(withoutIds(sync.structuredContent));
    expect(withoutIds(text(done.result))).toEqual(withoutIds(text(sync)));
    expect(Object.keys(done.result!)).toEqual(Object.keys(sync));
    expect(done.result?.structuredContent).toMatchObject({ results: [{ agent: 'api', result: 'answer to one' }, { agent: 'web', summary: 'an…' }, { result: 'answer to three' }] });
  });

  it('cancels every member at once, and a second cancel changes nothing', async () => {
    const running = deferred();
    const runner = fakeRunner(async (r, o) => {
      running.resolve();
      await new Promise((resolve) => o.signal?.addEventListener('abort', resolve, { once: true }));
      return runResult({ agent: r.agent.name, ok: false, error: { type: 'cancelled', message: 'cancelled' } });
    });
    const { deps, tasks, rig, dispatcher } = setup(runner);
    const { group } = await startParallelGroup(deps, 'dispatch_parallel', { dispatches: ITEMS, aggregate: '' });
    const run = rig.service.runJob(group.members[0]!.jobId!);
    await running.promise;
    expect(tasks.get(group.id)).toMatchObject({ status: 'working', statusMessage: expect.stringMatching(/^0\/3 done · api: /) });
    expect(tasks.cancel(group.id)).toBe('ok');
    expect(tasks.cancel(group.id)).toBe('ok');
    await run;
    expect(group.members.map((m) => dispatcher.status(m.jobId!).status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    expect(tasks.get(group.id)).toMatchObject({ status: 'cancelled', statusMessage: '3/3 done · cancelled' });
    expect(tasks.cancel(group.id)).toBe('ok');
  });

  it('is answered by a second server on the same store, and only to the principal that started it', async () => {
    const { deps, rig } = setup();
    const { group } = await startParallelGroup(deps, 'dispatch_parallel', { dispatches: ITEMS.slice(0, 2), aggregate: '' }, TOKEN);
    for (const member of group.members) await rig.service.runJob(member.jobId!);
    const second = createTaskStore({ jobs: rig.openService(), view: () => ({}), logger: silentLogger });
    expect(second.get(group.id, TOKEN)).toMatchObject({ status: 'completed', result: { structuredContent: { results: [{ success: true }, { success: true }] } } });
    expect(second.get(group.id)).toMatchObject({ status: 'failed', error: { code: -32602 } });
    expect(second.cancel(group.id)).toBe('unknown');
    await expect(second.update(group.id, TOKEN, { x: 1 })).resolves.toBe('ok');
  });

  it('keeps a refused item as its error entry and starts the rest', async () => {
    const { deps, tasks, rig } = setup();
    const budget = { ...deps, dispatcher: { ...deps.dispatcher, start: async (request: Parameters<typeof deps.dispatcher.start>[0]) => {
      if (request.task === 'two') throw new DispatchError('BUDGET_EXCEEDED', 'Daily budget reached.');
      return deps.dispatcher.start(request);
    } } };
    const { group } = await startParallelGroup(budget, 'dispatch_parallel', { dispatches: ITEMS, aggregate: '' });
    expect(group.members[1]).toMatchObject({ agent: 'web', answer: { success: false, error: 'Daily budget reached.' } });
    for (const member of group.members) if (member.jobId) await rig.service.runJob(member.jobId);
    expect(tasks.get(group.id).result?.structuredContent).toMatchObject({ results: [{ success: true }, { success: false }, { success: true }] });
  });
});
