// Dispatches that wait for a concurrency slot: a nested dispatch never waits for the slot its own parent holds,
// and a queued dispatch is checked against the daily budget again when its slot comes free.
import { afterEach, describe, expect, it } from 'vitest';
import { createRig, deferred, fakeRunner, type Rig } from './service-harness.js';
import { runResult } from './support/store.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.cleanup();
  rig = undefined;
});

describe('waiting for a slot', () => {
  it('runs a nested dispatch (inside a dispatched agent) even when every slot is held, instead of deadlocking', async () => {
    const release = deferred();
    const runner = fakeRunner(async (r) => {
      if (r.task === 'parent') await release.promise;
      return runResult({ agent: r.agent.name });
    });
    rig = createRig({ runner, settings: { max_concurrency: 1 } });
    const parent = rig.service.dispatch({ agent: 'api', task: 'parent' });
    // The parent holds the only slot; the server inside its agent dispatches again.
    await new Promise((r) => setTimeout(r, 50));
    const nested = rig.openService({ nested: true });
    const child = await nested.dispatch({ agent: 'web', task: 'child' });
    expect(child.result.ok).toBe(true);
    release.resolve();
    expect((await parent).result.ok).toBe(true);
  });

  it('refuses a queued dispatch when the budget was spent while it waited', async () => {
    const first = deferred();
    const runner = fakeRunner(async (r) => {
      if (r.task === 'first') await first.promise;
      return runResult({ agent: r.agent.name, costUsd: 1 });
    });
    rig = createRig({ runner, settings: { max_concurrency: 1, daily_budget_usd: 1 } });
    const running = rig.service.dispatch({ agent: 'api', task: 'first' });
    await new Promise((r) => setTimeout(r, 50));
    const queued = rig.service.dispatch({ agent: 'api', task: 'second' });
    await new Promise((r) => setTimeout(r, 50));
    first.resolve();
    expect((await running).result.ok).toBe(true);
    const refused = await queued;
    expect(refused.result).toMatchObject({ ok: false, costUsd: 0, error: { type: 'budget' } });
    expect(runner.calls.map((c) => c.task)).toEqual(['first']);
    expect(rig.store.get(refused.jobId)).toMatchObject({ status: 'failed' });
  });
});

describe('recording the result', () => {
  it('still returns the agent\'s answer when the job store cannot record it', async () => {
    const runner = fakeRunner((r) => runResult({ agent: r.agent.name, text: 'the real answer', costUsd: 0.5 }));
    rig = createRig({ runner });
    const finish = rig.store.finish.bind(rig.store);
    rig.store.finish = (id, input) => {
      if (input.status === 'done') throw new Error('database is locked');
      return finish(id, input);
    };
    const outcome = await rig.service.dispatch({ agent: 'api', task: 'x' });
    expect(outcome.result).toMatchObject({ ok: true, text: 'the real answer', costUsd: 0.5 });
  });
});
