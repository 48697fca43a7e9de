import { describe, expect, it } from 'vitest';
import { localDay, summarizeCosts, type CostRow } from '../../src/pool/costs.js';

const at = (day: string, hour: number) => new Date(`${day}T${String(hour).padStart(2, '0')}:00:00`).getTime();
const row = (over: Partial<CostRow>): CostRow => ({ agent: 'api', host: 'a', ok: true, costUsd: 1, inputTokens: 10, outputTokens: 5, startedAt: at('2026-12-02', 10), endedAt: at('2026-12-02', 10) + 1000, ...over });

describe('localDay', () => {
  it.each([
    [at('2026-12-03', 0), '2026-12-03'],
    [at('2026-01-09', 23), '2026-01-09'],
  ])('names the local day of %s as %s', (time, expected) => {
    expect(localDay(time)).toBe(expected);
  });
});

describe('summarizeCosts', () => {
  it('totals runs per agent, per day and agent, and per host, most expensive first', () => {
    const later = at('2026-12-03', 9);
    const costs = summarizeCosts([row({}), row({ agent: 'web', host: 'b', costUsd: 3, ok: false }), row({ host: 'b', startedAt: later, endedAt: later + 500 })]);
    expect(costs.byAgent).toEqual([
      { agent: 'web', runs: 1, ok: 0, failed: 1, costUsd: 3, inputTokens: 10, outputTokens: 5, durationMs: 1000 },
      { agent: 'api', runs: 2, ok: 2, failed: 0, costUsd: 2, inputTokens: 20, outputTokens: 10, durationMs: 1500 },
    ]);
    expect(costs.byDay.map((d) => `${d.day} ${d.agent} ${d.runs}`)).toEqual(['2026-12-03 api 1', '2026-12-02 web 1', '2026-12-02 api 1']);
    expect(costs.byHost.map((h) => `${h.host} ${h.runs} ${h.costUsd}`)).toEqual(['b 2 4', 'a 1 1']);
  });

  it('is empty for no rows', () => {
    expect(summarizeCosts([])).toEqual({ byAgent: [], byDay: [], byHost: [] });
  });
});
