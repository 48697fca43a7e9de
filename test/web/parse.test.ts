// Pure readers of the pages: query strings, prompt sections, turns, statistics and day keys.
import { describe, expect, it } from 'vitest';
import type { DailyCost, JobSummary } from '../../src/jobs/store/types.js';
import type { RunEvent } from '../../src/shared/types.js';
import { parseSeq } from '../../src/web/live.js';
import { agentStats, median } from '../../src/web/pages/agents.js';
import { dayKeys, foldCosts, parseDays } from '../../src/web/pages/costs.js';
import { jobPromptSections } from '../../src/web/pages/job.js';
import { filterSearch, matchesFilter, parseJobsQuery } from '../../src/web/pages/jobs.js';
import { toolSummary, turnStarts } from '../../src/web/pages/timeline.js';

describe('parseJobsQuery', () => {
  it.each([
    [{}, { page: 1, problems: [] }],
    [{ agent: ' api ', state: 'running', caller: 'me', page: '3' }, { agent: 'api', status: 'running', caller: 'me', page: 3, problems: [] }],
    [{ status: 'done' }, { status: 'done', page: 1, problems: [] }],
    [{ agent: '', state: '', page: '' }, { page: 1, problems: [] }],
    [{ state: 'bogus' }, { page: 1, problems: [expect.stringContaining('Unknown state "bogus"')] }],
    [{ page: '0' }, { page: 1, problems: [expect.stringContaining('not a page number')] }],
    [{ page: '2.5' }, { page: 1, problems: [expect.stringContaining('not a page number')] }],
  ])('reads %j', (params, expected) => expect(parseJobsQuery(params)).toEqual(expected));
});

describe('filters', () => {
  const job = { agent: 'api', status: 'running', caller: 'me' } as const;
  it.each([
    [{}, true],
    [{ agent: 'api' }, true],
    [{ agent: 'web' }, false],
    [{ status: 'running' }, true],
    [{ status: 'done' }, false],
    [{ caller: 'me', agent: 'api', status: 'running' }, true],
    [{ caller: 'you' }, false],
  ] as const)('matchesFilter(%j) = %s', (filter, expected) => expect(matchesFilter(job, filter)).toBe(expected));

  it.each([
    [{}, {}, ''],
    [{ agent: 'a b' }, {}, '?agent=a+b'],
    [{ status: 'done', caller: 'x' }, { page: 2 }, '?state=done&caller=x&page=2'],
  ] as const)('filterSearch(%j, %j) = %s', (filter, extra, expected) => expect(filterSearch(filter, extra)).toBe(expected));
});

describe('jobPromptSections', () => {
  const request = { agent: 'a', task: 't' };
  it.each([
    ['the stored parts', { request, prompt: '## Goal\ng\n\n## Task\nt', promptParts: { task: 't', goal: 'g' } }, [['Goal', 'g'], ['Task', 't']]],
    ['the task, for a job without a prompt', { request }, [['Task', 't']]],
    ['the task, when the prompt was the task alone', { request, prompt: 't' }, [['Task', 't']]],
    ['the whole prompt, for a job stored before its parts were kept', { request, prompt: '## Goal\ng\n\n## Task\nt' }, [['Prompt', '## Goal\ng\n\n## Task\nt']]],
  ])('shows %s', (_what, job, expected) => {
    expect(jobPromptSections(job).map((s) => [s.title, s.body])).toEqual(expected);
  });
});

describe('the timeline', () => {
  const use = (name: string): RunEvent => ({ type: 'tool_use', id: name, name, input: {} });
  const result: RunEvent = { type: 'tool_result', toolUseId: 'x', isError: false, content: '' };
  const text: RunEvent = { type: 'text', text: 'hi' };
  it.each([
    [[], []],
    [[{ type: 'init' }, text, use('A'), result, text], [1, 4]],
    [[use('A'), use('B'), result, result, use('C'), result, text], [0, 4, 6]],
  ] as [RunEvent[], number[]][])('turnStarts(%j) = %j', (events, expected) => expect([...turnStarts(events)]).toEqual(expected));

  it.each([
    ['Bash', { command: 'ls -la' }, 'ls -la'],
    ['Read', { file_path: '/a/b.ts', limit: 3 }, '/a/b.ts'],
    ['Grep', { pattern: 'TODO' }, 'TODO'],
    ['Custom', { a: 1 }, '{"a":1}'],
    ['Empty', {}, 'Empty()'],
    ['Odd', null, 'null'],
  ])('toolSummary(%s, %j) = %s', (name, input, expected) => expect(toolSummary(name, input)).toBe(expected));
});

describe('agent statistics', () => {
  it.each([
    [[], undefined],
    [[5], 5],
    [[3, 1, 2], 2],
    [[4, 1, 3, 2], 2.5],
  ])('median(%j) = %s', (values, expected) => expect(median(values)).toBe(expected));

  const job = (status: string, ms: number | undefined, ok?: boolean): JobSummary =>
    ({ id: 'x', kind: 'sync', status, agent: 'a', caller: '', task: '', createdAt: 0, turns: 0, cancelRequested: false, ...(ms !== undefined ? { startedAt: 0, endedAt: ms } : {}), ...(ok !== undefined ? { ok } : {}) }) as JobSummary;

  it('rates finished runs only, and counts a done run that reported failure as failed', () => {
    const stats = agentStats([job('running', undefined), job('done', 100, true), job('done', 300, false), job('failed', 200), job('pending', undefined)]);
    expect(stats).toMatchObject({ runs: 3, succeeded: 1, medianMs: 200 });
    expect(stats.last).toHaveLength(5);
  });
});

describe('costs', () => {
  it.each([
    [undefined, { days: 14 }],
    ['30', { days: 30 }],
    ['5', { days: 14, problem: expect.stringContaining('not offered') }],
    ['x', { days: 14, problem: expect.stringContaining('not offered') }],
  ])('parseDays(%j)', (value, expected) => expect(parseDays(value)).toEqual(expected));

  it.each([
    [Date.UTC(2026, 2, 4, 12), 3, 0, ['2026-03-02', '2026-03-03', '2026-03-04']],
    [Date.UTC(2026, 2, 4, 23, 30), 2, 60, ['2026-03-04', '2026-03-05']],
    [Date.UTC(2026, 2, 1, 1), 2, -120, ['2026-02-27', '2026-02-28']],
  ])('dayKeys(%s, %s days, offset %s)', (now, days, offset, expected) => expect(dayKeys(now, days, offset)).toEqual(expected));

  it('folds ledger rows into agents, biggest spender first, with today apart', () => {
    const row = (day: string, agent: string, costUsd: number): DailyCost => ({ day, agent, costUsd, runs: 1, ok: 1, failed: 0, inputTokens: 10, outputTokens: 5, durationMs: 1 });
    const folded = foldCosts([row('2026-03-04', 'a', 0.1), row('2026-03-03', 'a', 0.2), row('2026-03-04', 'b', 0.5)], '2026-03-04');
    expect(folded.map((a) => [a.agent, a.today, a.total, a.runs, a.tokens])).toEqual([
      ['b', 0.5, 0.5, 1, 15],
      ['a', 0.1, expect.closeTo(0.3), 2, 30],
    ]);
  });
});

describe('parseSeq', () => {
  it.each([
    [undefined, undefined],
    ['', undefined],
    ['42', 42],
    ['-1', undefined],
    ['1e3', undefined],
    ['99999999999999999999', undefined],
  ])('parseSeq(%j) = %s', (value, expected) => expect(parseSeq(value)).toBe(expected));
});
