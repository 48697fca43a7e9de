import { describe, expect, it } from 'vitest';
import { parseSpend, spendSourceOf } from '../../src/pool/ledger.js';

describe('parseSpend', () => {
  it.each([
    ['j1|w1|api|0.25', 100, { jobId: 'j1', agent: 'api', costUsd: 0.25, at: 100 }],
    ['j1|w1|api|nope', 100, undefined],
    ['j1|api|0.25', 100, undefined],
  ])('reads the member %s', (member, score, expected) => {
    expect(parseSpend(member, score)).toEqual(expected);
  });
});

describe('spendSourceOf', () => {
  const source = spendSourceOf([
    { jobId: 'a', agent: 'api', costUsd: 0.5, at: 10 },
    { jobId: 'b', agent: 'web', costUsd: 0.25, at: 20 },
    { jobId: 'c', agent: 'api', costUsd: 1, at: 30 },
  ]);
  it.each([
    [{ since: 0 }, { costUsd: 1.75, runs: 3 }],
    [{ since: 15 }, { costUsd: 1.25, runs: 2 }],
    [{ since: 0, agent: 'api' }, { costUsd: 1.5, runs: 2 }],
    [{ since: 40 }, { costUsd: 0, runs: 0 }],
  ])('sums the entries matching %o', (query, expected) => {
    expect(source.spend(query)).toEqual(expected);
  });

  it('lists no running jobs (a pool record carries its cost only when it ends)', () => {
    expect(source.list({ status: 'running' })).toEqual([]);
  });
});
