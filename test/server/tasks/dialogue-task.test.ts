// dispatch_dialogue answered as a task: one background job runs the whole dialogue (each turn its own job), read
// back from the job store by any server process, completed with the synchronous call's answer, cancelled mid-turn.
import { afterEach, describe, expect, it } from 'vitest';
import { createRig, deferred, fakeRunner, type Rig } from '../../jobs/service-harness.js';
import { runResult } from '../../jobs/support/store.js';
import { startDialogueJob } from '../../../src/server/tasks/start-dialogue.js';
import { createTaskStore } from '../../../src/server/tasks/task-store.js';
import { tool as dialogueTool } from '../../../src/server/tools/dispatch-dialogue.js';
import type { ToolCtx } from '../../../src/server/tool-def.js';
import type { RunRequest } from '../../../src/shared/types.js';
import { silentLogger } from '../../../src/shared/log.js';
import { fakeCatalog } from '../fakes.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.cleanup();
  rig = undefined;
});

const TOKEN = 'b'.repeat(64);
const ARGS = { requester: 'api', responder: 'web', topic: 'the schema', max_rounds: 3 };

// web asks once, then settles it in round 2.
const talk = (r: RunRequest) => runResult({ agent: r.agent.name, text: r.agent.name === 'web' ? (r.task.includes('api replied') ? 'use v2 [RESOLVED]' : 'which version?') : 'v2 please', costUsd: 0.01 });

function setup(runner = fakeRunner(talk)) {
  rig = createRig({ runner });
  const dispatcher = rig.openService({ startSupervisor: () => process.pid });
  const deps = { dispatcher, catalog: fakeCatalog(['api', 'web']), logger: silentLogger };
  const tasks = createTaskStore({ jobs: dispatcher, view: () => ({}), logger: silentLogger });
  return { rig, dispatcher, deps, tasks };
}

// The answer without what differs from run to run (job ids, durations).
const stable = (answer: unknown) => JSON.parse(JSON.stringify(answer, (key, value: unknown) => (key === 'job_id' || key.endsWith('duration_ms') ? undefined : value))) as unknown;

describe('dispatch_dialogue as a task', () => {
  it('runs the dialogue in one background job and completes with the answer the synchronous call gives', async () => {
    const { deps, tasks, rig, dispatcher } = setup();
    const { jobId } = await startDialogueJob(deps, ARGS);
    expect(tasks.get(jobId)).toMatchObject({ status: 'working', taskId: jobId });
    await rig.service.runJob(jobId);
    const done = tasks.get(jobId);
    expect(done).toMatchObject({ status: 'completed', result: { structuredContent: { resolved: true, rounds: 2, final_answer: 'use v2', total_cost_usd: 0.03 } } });
    const turns = (done.result?.structuredContent as { conversation: { job_id: string; agent: string }[] }).conversation;
    expect(turns.map((t) => t.agent)).toEqual(['web', 'api', 'web']);
    // Every turn is a job of its own; the dialogue job itself costs nothing (the turns carry the cost).
    expect(turns.every((t) => dispatcher.status(t.job_id).status === 'done')).toBe(true);
    expect(dispatcher.status(jobId).result?.costUsd).toBe(0);

    const noop = { onJob() {}, onEvent() {}, close() {} };
    const ctx = { deps, era: 'modern', signal: new AbortController().signal, mcp: {}, progress: () => noop } as unknown as ToolCtx;
    const sync = await dialogueTool.handler(ARGS, ctx);
    const text = (answer: { content: unknown[] } | undefined) => JSON.parse((answer?.content[0] as { text: string }).text) as unknown;
    expect(stable(done.result?.structuredContent)).toEqual(stable(sync.structuredContent));
    expect(stable(text(done.result))).toEqual(stable(text(sync)));
    expect(Object.keys(done.result!)).toEqual(Object.keys(sync));
  });

  it('stops the running turn\'s agent on tasks/cancel and ends the dialogue cancelled', async () => {
    const running = deferred();
    const stopped: string[] = [];
    const runner = fakeRunner(async (r, o) => {
      running.resolve();
      await new Promise((resolve) => o.signal?.addEventListener('abort', resolve, { once: true }));
      stopped.push(r.agent.name);
      return runResult({ agent: r.agent.name, ok: false, error: { type: 'cancelled', message: 'cancelled' } });
    });
    const { deps, tasks, rig, dispatcher } = setup(runner);
    const { jobId } = await startDialogueJob(deps, ARGS);
    const run = rig.service.runJob(jobId);
    await running.promise;
    expect(tasks.get(jobId)).toMatchObject({ status: 'working', statusMessage: expect.stringContaining('web · turn 1 of the dialogue') });
    expect(tasks.cancel(jobId)).toBe('ok');
    await run;
    expect(stopped).toEqual(['web']);
    expect(tasks.get(jobId)).toMatchObject({ status: 'cancelled' });
    expect(dispatcher.status(jobId).status).toBe('cancelled');
    expect(tasks.cancel(jobId)).toBe('ok');
  });

  it('ends the dialogue failed, with the conversation so far, when the worker is shut down mid-turn', async () => {
    const running = deferred();
    const runner = fakeRunner(async (r, o) => {
      running.resolve();
      await new Promise((resolve) => o.signal?.addEventListener('abort', resolve, { once: true }));
      return runResult({ agent: r.agent.name, ok: false, error: { type: 'cancelled', message: 'stopped' } });
    });
    const { deps, tasks, rig, dispatcher } = setup(runner);
    const { jobId } = await startDialogueJob(deps, ARGS);
    const shutdown = new AbortController();
    const run = rig.service.runJob(jobId, shutdown.signal);
    await running.promise;
    shutdown.abort(new Error('shutdown'));
    await run;
    expect(dispatcher.status(jobId)).toMatchObject({ status: 'failed', failureReason: 'stopped by shutdown' });
    expect(tasks.get(jobId)).toMatchObject({ status: 'completed', result: { structuredContent: { resolved: false, error: expect.stringContaining('web failed') } } });
  });

  it('is answered by a second server on the same store, and only to the principal that started it', async () => {
    const { deps, rig } = setup();
    const { jobId } = await startDialogueJob(deps, ARGS, TOKEN);
    await rig.service.runJob(jobId);
    const second = createTaskStore({ jobs: rig.openService(), view: () => ({ inlineBytes: 400 }), logger: silentLogger });
    expect(second.get(jobId, TOKEN)).toMatchObject({ status: 'completed', result: { structuredContent: { resolved: true, rounds: 2 } } });
    expect(second.get(jobId)).toMatchObject({ status: 'failed', error: { code: -32602 } });
  });

  it('refuses the same agent twice before anything is stored', async () => {
    const { deps } = setup();
    await expect(startDialogueJob(deps, { ...ARGS, requester: 'web' })).rejects.toThrow(/two different agents/);
  });

  it('answers a dialogue job that ended without a result with the failure, as a finished task', async () => {
    const { deps, tasks, rig } = setup();
    const { jobId } = await startDialogueJob(deps, ARGS);
    rig.store.finish(jobId, { status: 'failed', reason: 'owner exited' });
    expect(tasks.get(jobId)).toMatchObject({ status: 'completed', result: { isError: true } });
  });
});
