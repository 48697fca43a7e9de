// Which pool jobs a dashboard list with filters shows (pure).
import { describe, expect, it } from 'vitest';
import type { JobSummary, ListQuery } from '../../src/jobs/store/types.js';
import { matchesQuery } from '../../src/pool/view.js';

const job: JobSummary = { id: 'a'.repeat(32), kind: 'async', status: 'running', agent: 'api', caller: 'ops', task: 't', createdAt: 1, turns: 0, cancelRequested: false, host: 'gpu-box' };

describe('matchesQuery', () => {
  it.each<[string, ListQuery, boolean]>([
    ['no filter', {}, true],
    ['its state', { status: 'running' }, true],
    ['another state', { status: 'done' }, false],
    ['one of several states', { status: ['pending', 'running'] }, true],
    ['its agent and caller', { agent: 'api', caller: 'ops' }, true],
    ['another agent', { agent: 'web' }, false],
    ['another caller', { caller: 'ci' }, false],
  ])('%s', (_title, query, expected) => {
    expect(matchesQuery(job, query)).toBe(expected);
  });
});
