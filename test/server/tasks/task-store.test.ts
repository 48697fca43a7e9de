import { afterEach, describe, expect, it } from 'vitest';
import { createRig, deferred, fakeRunner, type Rig } from '../../jobs/service-harness.js';
import { runResult } from '../../jobs/support/store.js';
import { dispatchAnswer } from '../../../src/server/dispatch-answer.js';
import { startTask } from '../../../src/server/tasks/start-task.js';
import { createTaskStore } from '../../../src/server/tasks/task-store.js';
import type { CreateTaskResult } from '../../../src/server/tasks/types.js';
import { silentLogger } from '../../../src/shared/log.js';
import { fakeCatalog } from '../fakes.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.cleanup();
  rig = undefined;
});

const TOKEN_A = 'a'.repeat(64);
const TOKEN_B = 'b'.repeat(64);

// A server's view of the rig: the supervisor is this process (the test runs the job with runJob).
function setup(options: { settings?: Record<string, unknown>; runner?: ReturnType<typeof fakeRunner> } = {}) {
  rig = createRig({ runner: options.runner ?? fakeRunner((r) => runResult({ agent: r.agent.name, text: `answer to ${r.task}` })), ...(options.settings ? { settings: options.settings } : {}) });
  const started: string[] = [];
  const dispatcher = rig.openService({ startSupervisor: (id) => (started.push(id), process.pid) });
  const deps = { dispatcher, catalog: fakeCatalog(['api', 'web']), logger: silentLogger };
  const tasks = createTaskStore({ jobs: dispatcher, view: () => ({}), logger: silentLogger });
  return { rig, dispatcher, deps, tasks, started };
}

async function started(answer: unknown): Promise<CreateTaskResult> {
  expect(answer).toMatchObject({ resultType: 'task', status: 'working' });
  return answer as CreateTaskResult;
}

describe('tasks over the job store', () => {
  it('answers a started dispatch as a working task and completes it with the synchronous answer', async () => {
    const { deps, tasks, rig } = setup();
    const task = await started(await startTask(deps, 'dispatch', { agent: 'api', task: 'Fix it', return_ref: true, summary_chars: 4 }));
    expect(task).toMatchObject({ statusMessage: expect.stringContaining('api · queued'), pollIntervalMs: 1000, ttlMs: null });
    expect(tasks.get(task.taskId)).toMatchObject({ taskId: task.taskId, status: 'working' });
    const result = await rig.service.runJob(task.taskId);
    const done = tasks.get(task.taskId);
    expect(done.status).toBe('completed');
    expect(done.result).toEqual(dispatchAnswer({ jobId: task.taskId, result: result! }, { return_ref: true, summary_chars: 4 }, {}));
    expect(done.result?.structuredContent).toMatchObject({ ref: task.taskId, summary: 'ans…' });
  });

  it('is read by a second server on the same store, as after a restart', async () => {
    const { deps, rig } = setup();
    const task = await started(await startTask(deps, 'dispatch_session', { agent: 'api', task: 'Fix it' }));
    await rig.service.runJob(task.taskId);
    const second = createTaskStore({ jobs: rig.openService(), view: () => ({}), logger: silentLogger });
    expect(second.get(task.taskId)).toMatchObject({ status: 'completed', result: { structuredContent: { result: 'answer to Fix it', success: true } } });
  });

  it('answers another principal\'s task exactly like an unknown one', async () => {
    const { deps, tasks } = setup();
    const task = await started(await startTask(deps, 'dispatch', { agent: 'api', task: 'x' }, { principal: TOKEN_A }));
    expect(tasks.get(task.taskId, TOKEN_A).status).toBe('working');
    const foreign = tasks.get(task.taskId, TOKEN_B);
    const unknown = tasks.get('cd'.repeat(16), TOKEN_B);
    expect(foreign).toMatchObject({ status: 'failed', error: { code: -32602 } });
    expect(foreign.error?.message.replace(task.taskId, 'ID')).toBe(unknown.error?.message.replace('cd'.repeat(16), 'ID'));
    expect(tasks.get(task.taskId)).toMatchObject({ status: 'failed' }); // stdio does not see an HTTP token's task
    expect(tasks.cancel(task.taskId, TOKEN_B)).toBe('unknown');
    expect(tasks.get(task.taskId, TOKEN_A).status).toBe('working');
  });

  it.each([
    ['a malformed id', '../../etc/passwd'],
    ['an id nobody issued', 'ef'.repeat(16)],
    ['an empty id', ''],
  ])('answers %s with a final failed task', (_name, id) => {
    const { tasks } = setup();
    expect(tasks.get(id)).toMatchObject({ status: 'failed', error: { code: -32602 } });
    expect(tasks.cancel(id)).toBe('unknown');
    expect(tasks.update(id, undefined, {})).toBe('unknown');
  });

  it('does not serve a background job that was not started as a task', async () => {
    const { dispatcher, tasks } = setup();
    const job = await dispatcher.start({ agent: 'api', task: 'dispatch_async' });
    expect(tasks.get(job.id)).toMatchObject({ status: 'failed', error: { code: -32602 } });
  });

  it('cancels a queued task at once, and a second cancel changes nothing', async () => {
    const { deps, tasks } = setup();
    const task = await started(await startTask(deps, 'dispatch', { agent: 'api', task: 'x' }));
    expect(tasks.cancel(task.taskId)).toBe('ok');
    expect(tasks.cancel(task.taskId)).toBe('ok');
    expect(tasks.get(task.taskId)).toMatchObject({ status: 'cancelled', statusMessage: 'api · cancelled before it started' });
  });

  it('asks a running task to stop without waiting, and it ends cancelled', async () => {
    const running = deferred();
    const runner = fakeRunner(async (r, o) => {
      running.resolve();
      await new Promise((resolve) => o.signal?.addEventListener('abort', resolve, { once: true }));
      return runResult({ agent: r.agent.name, ok: false, error: { type: 'cancelled', message: 'cancelled' } });
    });
    const { deps, tasks, rig } = setup({ runner });
    const task = await started(await startTask(deps, 'dispatch_stream', { agent: 'api', task: 'long' }));
    const run = rig.service.runJob(task.taskId);
    await running.promise;
    expect(tasks.cancel(task.taskId)).toBe('ok');
    expect(tasks.cancel(task.taskId)).toBe('ok');
    expect(tasks.get(task.taskId)).toMatchObject({ status: 'working', statusMessage: 'api · cancelling' });
    await run;
    expect(tasks.get(task.taskId).status).toBe('cancelled');
    expect(tasks.cancel(task.taskId)).toBe('ok'); // a finished task: still an ack
  });

  it('acknowledges answers to nothing outstanding, and keeps answers to questions asked', async () => {
    const { deps, tasks, rig } = setup();
    const task = await started(await startTask(deps, 'dispatch', { agent: 'api', task: 'x' }));
    expect(tasks.update(task.taskId, undefined, { stray: { action: 'accept' } })).toBe('ok');
    rig.store.askInput(task.taskId, { approve: { method: 'elicitation/create', params: { mode: 'form', message: 'Push?' } } });
    rig.store.markRunning(task.taskId);
    expect(tasks.get(task.taskId)).toMatchObject({ status: 'input_required', inputRequests: { approve: { method: 'elicitation/create' } } });
    expect(tasks.update(task.taskId, undefined, { approve: { action: 'accept', content: { ok: true } } })).toBe('ok');
    expect(rig.store.taskLink(task.taskId)?.inputResponses).toEqual({ approve: { action: 'accept', content: { ok: true } } });
    expect(tasks.get(task.taskId).status).toBe('working');
  });

  it('answers a refusal synchronously, as the synchronous call does', async () => {
    const { deps } = setup();
    expect(await startTask(deps, 'dispatch', { agent: 'nobody', task: 'x' })).toMatchObject({ isError: true });
  });

  it('answers a cached dispatch at once, without a task', async () => {
    const { deps, dispatcher } = setup();
    await dispatcher.dispatch({ agent: 'api', task: 'same' }, { useCache: true });
    const answer = await startTask(deps, 'dispatch', { agent: 'api', task: 'same' });
    expect(answer).toMatchObject({ structuredContent: { cached: true, result: 'answer to same' } });
    expect(await startTask(deps, 'dispatch_session', { agent: 'api', task: 'same' })).toMatchObject({ resultType: 'task' });
  });

  it('gives an honest ttl from job_retention_days', async () => {
    const { deps, tasks } = setup({ settings: { job_retention_days: 2 } });
    const task = await started(await startTask(deps, 'dispatch', { agent: 'api', task: 'x' }));
    expect(task.ttlMs).toBeGreaterThanOrEqual(2 * 86_400_000);
    expect(tasks.get(task.taskId).ttlMs).toBeGreaterThanOrEqual(2 * 86_400_000);
  });

  it('answers before the supervisor starts, and reports a supervisor that could not start through tasks/get', async () => {
    rig = createRig({ runner: fakeRunner() });
    const dispatcher = rig.openService({
      startSupervisor: () => {
        throw new Error('ENOENT agent-dispatch');
      },
    });
    const tasks = createTaskStore({ jobs: dispatcher, view: () => ({}), logger: silentLogger });
    const task = await started(await startTask({ dispatcher, catalog: fakeCatalog(['api']), logger: silentLogger }, 'dispatch', { agent: 'api', task: 'x' }));
    await new Promise((resolve) => setImmediate(resolve));
    const done = tasks.get(task.taskId);
    expect(done).toMatchObject({ status: 'completed', result: { isError: true } });
    expect(JSON.stringify(done.result)).toContain('Could not start the background job runner: ENOENT agent-dispatch');
  });

  it('keeps the agent\'s budget cap with the task, so its answer flags an overspend as a synchronous one does', async () => {
    rig = createRig({ agents: { api: { max_budget_usd: 0.001 } }, runner: fakeRunner((r) => runResult({ agent: r.agent.name, costUsd: 0.02 })) });
    const dispatcher = rig.openService({ startSupervisor: () => process.pid });
    const tasks = createTaskStore({ jobs: dispatcher, view: () => ({}), logger: silentLogger });
    const task = await started(await startTask({ dispatcher, catalog: fakeCatalog(['api']), logger: silentLogger }, 'dispatch', { agent: 'api', task: 'pricey' }));
    expect(rig.store.taskLink(task.taskId)?.shape).toEqual({ max_budget_usd: 0.001 });
    await rig.service.runJob(task.taskId);
    expect(tasks.get(task.taskId).result?.structuredContent).toMatchObject({ budget_exceeded: true, hint: expect.stringContaining('max_budget_usd') });
  });
});
