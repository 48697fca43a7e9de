import { beforeEach, describe, expect, it } from 'vitest';
import { dayStart } from '../../../src/jobs/store/costs.js';
import type { JobStore } from '../../../src/jobs/store/index.js';
import { runResult, storePerTest } from '../support/store.js';

const DAY = 86_400_000;
const NOON_UTC = Date.UTC(2026, 10, 25, 12, 0, 0);

const env = storePerTest();
let store: JobStore;
let clock: number;
beforeEach(() => {
  clock = NOON_UTC;
  store = env.open({ now: () => clock });
});

// Run one job to the end at the current clock.
function run(agent: string, costUsd: number, ok = true, caller = 'me') {
  const job = store.create({ kind: 'sync', request: { agent, task: 't', caller } });
  store.markRunning(job.id);
  store.finish(job.id, ok ? { status: 'done', result: runResult({ agent, costUsd }) } : { status: 'failed', result: runResult({ agent, costUsd, ok: false, error: { type: 'timeout', message: 'slow' } }) });
  return job;
}

describe('dayStart', () => {
  it.each([
    [NOON_UTC, 0, 0, Date.UTC(2026, 10, 25)],
    [NOON_UTC, 0, 2, Date.UTC(2026, 10, 23)],
    [NOON_UTC, 120, 0, Date.UTC(2026, 10, 25) - 120 * 60_000],
    [Date.UTC(2026, 10, 25, 23, 30), 60, 0, Date.UTC(2026, 10, 25, 23, 0)],
    [Date.UTC(2026, 10, 25, 0, 30), -300, 0, Date.UTC(2026, 10, 24, 5, 0)],
  ])('starts the local day of %d at offset %d, %d days back, at %d', (now, offset, back, expected) => {
    expect(dayStart(now, offset, back)).toBe(expected);
  });
});

describe('cost ledger', () => {
  it('sums spend since a time, globally and per agent', () => {
    run('api', 1.25);
    run('web', 0.5, false);
    clock += DAY;
    run('api', 2);
    expect(store.spend({ since: dayStart(clock, 0) })).toEqual({ costUsd: 2, runs: 1 });
    expect(store.spend({ since: 0 })).toEqual({ costUsd: 3.75, runs: 3 });
    expect(store.spend({ since: 0, agent: 'web' })).toEqual({ costUsd: 0.5, runs: 1 });
    expect(store.spend({ since: 0, agent: 'nobody' })).toEqual({ costUsd: 0, runs: 0 });
  });

  it('reports totals per agent with outcomes, tokens and durations', () => {
    run('api', 1);
    run('api', 2, false);
    run('web', 0.25);
    expect(store.costsByAgent()).toEqual([
      { agent: 'api', runs: 2, ok: 1, failed: 1, costUsd: 3, inputTokens: 200, outputTokens: 40, durationMs: 3000 },
      { agent: 'web', runs: 1, ok: 1, failed: 0, costUsd: 0.25, inputTokens: 100, outputTokens: 20, durationMs: 1500 },
    ]);
    expect(store.costsByAgent({ agent: 'web' })).toHaveLength(1);
  });

  it('groups spend by local day, newest first, within the window', () => {
    run('api', 1);
    clock += DAY;
    run('api', 2);
    run('web', 3);
    clock += DAY;
    run('api', 4);
    expect(store.costsByDay({ days: 2, utcOffsetMinutes: 0 }).map((d) => [d.day, d.agent, d.costUsd])).toEqual([
      ['2026-11-27', 'api', 4],
      ['2026-11-26', 'web', 3],
      ['2026-11-26', 'api', 2],
    ]);
    expect(store.costsByDay({ days: 30, agent: 'api', utcOffsetMinutes: 0 }).map((d) => d.day)).toEqual(['2026-11-27', '2026-11-26', '2026-11-25']);
    // 12:00 UTC is 01:00 the next day at UTC+13.
    expect(store.costsByDay({ days: 1, utcOffsetMinutes: 13 * 60 }).map((d) => d.day)).toEqual(['2026-11-28']);
  });

  it('counts the cost so far of a cancelled or abandoned run, but not a job that never started', () => {
    const started = store.create({ kind: 'async', request: { agent: 'api', task: 't' } });
    store.markRunning(started.id);
    store.saveProgress(started.id, { turns: 1, costUsd: 0.4, tail: [], updatedAt: clock });
    store.finish(started.id, { status: 'cancelled', reason: 'stopped' });
    const never = store.create({ kind: 'async', request: { agent: 'api', task: 't' } });
    store.finish(never.id, { status: 'failed', reason: 'over budget' });
    expect(store.costsByAgent()).toEqual([{ agent: 'api', runs: 1, ok: 0, failed: 1, costUsd: 0.4, inputTokens: 0, outputTokens: 0, durationMs: 0 }]);
  });

  it.each([
    [() => store.spend({ since: Number.NaN }), /since must be a time/],
    [() => store.costsByDay({ days: 0 }), /days must be a whole number/],
    [() => store.costsByDay({ days: 2.5 }), /days must be a whole number/],
  ])('rejects bad input %#', (call, message) => {
    expect(call).toThrow(message);
  });
});
