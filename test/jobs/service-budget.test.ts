// Daily budgets: past the global or the agent's cap, a dispatch is refused with error type `budget` and a message
// naming the cap and the spend; running jobs' cost so far counts; yesterday's spend does not.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { usd } from '../../src/jobs/budget.js';
import { createJobStore } from '../../src/jobs/store/index.js';
import { silentLogger } from '../../src/shared/log.js';
import { createRig, fakeRunner, type Rig } from './service-harness.js';
import { runResult } from './support/store.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.cleanup();
  rig = undefined;
});

// Record a finished run of `agent` costing `cost` dollars, `daysAgo` days back.
function spent(r: Rig, agent: string, cost: number, daysAgo = 0) {
  const store = createJobStore({ path: join(r.stateDir, 'jobs.db'), logger: silentLogger, now: () => Date.now() - daysAgo * 86_400_000 });
  const job = store.create({ kind: 'sync', request: { agent, task: 'earlier work' } });
  store.markRunning(job.id);
  store.finish(job.id, { status: 'done', result: runResult({ agent, costUsd: cost }) });
  store.close();
}

describe('daily budgets', () => {
  it('refuses a dispatch once today\'s spend reaches the global cap, naming the cap and the spend', async () => {
    const runner = fakeRunner();
    rig = createRig({ runner, settings: { daily_budget_usd: 0.5 } });
    spent(rig, 'api', 0.3);
    spent(rig, 'web', 0.25);
    const outcome = await rig.service.dispatch({ agent: 'api', task: 'one more' });
    expect(outcome.result).toMatchObject({ ok: false, costUsd: 0, error: { type: 'budget' } });
    expect(outcome.result.error?.message).toBe('Daily budget reached for all agents: $0.55 spent today of a $0.5 cap; the dispatch was not started.');
    expect(outcome.result.error?.hint).toContain('settings.daily_budget_usd');
    expect(runner.calls).toHaveLength(0);
    // The refusal is a failed job with the reason, and no run in the ledger.
    expect(rig.store.get(outcome.jobId)).toMatchObject({ status: 'failed', failureReason: outcome.result.error?.message });
    expect(rig.store.costsByAgent().reduce((n, c) => n + c.runs, 0)).toBe(2);
  });

  it('applies an agent\'s own cap to that agent only', async () => {
    const runner = fakeRunner();
    rig = createRig({ runner, agents: { api: { daily_budget_usd: 0.2 } }, settings: { daily_budget_usd: 10 } });
    spent(rig, 'api', 0.2);
    const refused = await rig.service.dispatch({ agent: 'api', task: 'x' });
    expect(refused.result.error).toMatchObject({ type: 'budget', message: expect.stringContaining('agent api: $0.2 spent today of a $0.2 cap') });
    expect(refused.result.error?.hint).toContain('agents.api.daily_budget_usd');
    expect(await rig.service.dispatch({ agent: 'web', task: 'x' })).toMatchObject({ result: { ok: true } });
    expect(runner.calls.map((c) => c.agent.name)).toEqual(['web']);
  });

  it('refuses a background job at once, before storing or spawning anything', async () => {
    const started: string[] = [];
    rig = createRig({ runner: fakeRunner(), settings: { daily_budget_usd: 1 } });
    const service = rig.openService({ startSupervisor: (id) => (started.push(id), process.pid) });
    spent(rig, 'web', 1.5);
    await expect(service.start({ agent: 'api', task: 'x' })).rejects.toMatchObject({
      code: 'BUDGET_EXCEEDED',
      message: 'Daily budget reached for all agents: $1.50 spent today of a $1.00 cap; the dispatch was not started.',
    });
    expect(started).toEqual([]);
    expect(rig.store.count()).toBe(1);
  });

  it('counts the cost so far of jobs still running', async () => {
    rig = createRig({ runner: fakeRunner(), settings: { daily_budget_usd: 0.5 } });
    spent(rig, 'api', 0.3);
    const running = rig.store.create({ kind: 'async', request: { agent: 'web', task: 'long' } });
    rig.store.markRunning(running.id);
    rig.store.saveProgress(running.id, { turns: 3, costUsd: 0.2, tail: [], updatedAt: Date.now() });
    expect((await rig.service.dispatch({ agent: 'api', task: 'x' })).result.error).toMatchObject({ type: 'budget', message: expect.stringContaining('$0.5 spent today') });
  });

  it('does not count yesterday\'s spend', async () => {
    rig = createRig({ runner: fakeRunner(), settings: { daily_budget_usd: 0.5 } });
    spent(rig, 'api', 5, 1.2);
    expect(await rig.service.dispatch({ agent: 'api', task: 'x' })).toMatchObject({ result: { ok: true } });
  });

  it('checks again when a queued background job gets its turn', async () => {
    rig = createRig({ runner: fakeRunner(), settings: { daily_budget_usd: 0.5 } });
    const service = rig.openService({ startSupervisor: () => process.pid });
    const job = await service.start({ agent: 'api', task: 'x' });
    spent(rig, 'api', 0.6);
    expect(await rig.service.runJob(job.id)).toMatchObject({ ok: false, error: { type: 'budget' } });
    expect(rig.store.get(job.id)).toMatchObject({ status: 'failed', failureReason: expect.stringContaining('Daily budget reached') });
  });

  it.each([
    [0, '$0'],
    [0.5, '$0.5'],
    [0.012345, '$0.0123'],
    [1, '$1.00'],
    [12.3, '$12.30'],
  ])('shows %s dollars as %s', (value, text) => {
    expect(usd(value)).toBe(text);
  });
});
