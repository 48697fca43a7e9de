import { describe, expect, it } from 'vitest';
import type { TaskLink } from '../../../src/jobs/store/types.js';
import type { JobRecord } from '../../../src/jobs/types.js';
import { dispatchAnswer } from '../../../src/server/dispatch-answer.js';
import { outstanding, toStartedTask, toTask, ttlMs, workingMessage } from '../../../src/server/tasks/to-task.js';
import { runResult } from '../fakes.js';

const T0 = Date.parse('2026-12-03T05:00:00.000Z');
const ID = 'ab'.repeat(16);

function job(overrides: Partial<JobRecord> = {}): JobRecord {
  return {
    id: ID, kind: 'async', status: 'running', agent: 'alpha', caller: '', request: { agent: 'alpha', task: 'Fix it' },
    createdAt: T0, startedAt: T0 + 100, cancelRequested: false, progress: { turns: 0, tail: [], updatedAt: T0 + 100 }, ...overrides,
  };
}
const link = (overrides: Partial<TaskLink> = {}): TaskLink => ({ jobId: ID, tool: 'dispatch', shape: {}, createdAt: T0, inputRequests: {}, inputResponses: {}, ...overrides });
const ctx = { now: T0 + 5_000, retentionDays: 0, view: {} };

describe('toTask', () => {
  it.each([
    ['a queued job', job({ status: 'pending', startedAt: undefined }), 'working', `alpha · queued (job ${ID})`],
    ['a job that has not reported yet', job(), 'working', 'alpha · started'],
    ['a job at its third tool call', job({ progress: { turns: 3, lastTool: 'Bash: npm test', tail: ['started', 'turn 3 · Bash: npm test'], updatedAt: T0 + 4_000 } }), 'working', 'alpha · turn 3 · Bash: npm test'],
    ['a job asked to stop', job({ cancelRequested: true }), 'working', 'alpha · cancelling'],
    ['a job cancelled while queued', job({ status: 'cancelled', endedAt: T0 + 200, failureReason: 'cancelled before it started' }), 'cancelled', 'alpha · cancelled before it started'],
    ['a job cancelled while running', job({ status: 'cancelled', endedAt: T0 + 900 }), 'cancelled', 'alpha · cancelled'],
    ['a finished job', job({ status: 'done', endedAt: T0 + 3_000, result: runResult() }), 'completed', 'alpha · finished'],
    ['a job whose agent failed', job({ status: 'failed', endedAt: T0 + 3_000, result: runResult({ ok: false, error: { type: 'auth', message: 'Invalid API key' } }) }), 'completed', 'alpha · failed'],
    ['a job whose owner died', job({ status: 'failed', endedAt: T0 + 3_000, failureReason: 'its owner exited' }), 'completed', 'alpha · failed'],
  ])('maps %s to %s', (_name, record, status, message) => {
    const task = toTask(record, link(), ctx);
    expect(task).toMatchObject({ taskId: ID, status, statusMessage: message, createdAt: '2026-12-03T05:00:00.000Z', ttlMs: null });
  });

  it('answers a finished job with exactly what the synchronous call returns', () => {
    const result = runResult({ text: 'All green' });
    const done = job({ status: 'done', endedAt: T0 + 3_000, result });
    expect(toTask(done, link(), ctx).result).toEqual(dispatchAnswer({ jobId: ID, result }, {}, {}));
    expect(toTask(done, link({ shape: { return_ref: true, summary_chars: 3 } }), ctx).result?.structuredContent).toMatchObject({ ref: ID, summary: 'Al…' });
  });

  it.each([
    ['over', 0.005, true],
    ['under', 0.5, undefined],
    ['without', undefined, undefined],
  ])('flags a run that cost more than the cap kept with the task (%s the cap)', (_name, cap, flagged) => {
    const done = job({ status: 'done', endedAt: T0 + 3_000, result: runResult({ costUsd: 0.01 }) });
    const shape = cap === undefined ? {} : { max_budget_usd: cap };
    expect((toTask(done, link({ shape }), ctx).result?.structuredContent as Record<string, unknown>).budget_exceeded).toBe(flagged);
  });

  it('answers a failed agent with the isError result, not a failed task', () => {
    const failed = job({ status: 'failed', endedAt: T0 + 3_000, result: runResult({ ok: false, text: '', error: { type: 'auth', message: 'Invalid API key' } }) });
    const task = toTask(failed, link(), ctx);
    expect(task.result).toMatchObject({ isError: true, structuredContent: { success: false, error: 'Invalid API key', error_type: 'auth', job_id: ID } });
    expect(task.error).toBeUndefined();
  });

  it('answers a job that ended without any result with an isError result naming the reason', () => {
    const task = toTask(job({ status: 'failed', endedAt: T0 + 3_000, failureReason: 'its owner exited' }), link(), ctx);
    expect(task.result).toMatchObject({ isError: true, structuredContent: { success: false, error_type: 'cli_error' } });
    expect((task.result?.structuredContent as { error?: string }).error).toContain('its owner exited');
  });

  it('shows outstanding questions of a running job as input_required, and only those', () => {
    const asked = { approve: { method: 'elicitation/create' }, budget: { method: 'elicitation/create' } };
    const task = toTask(job(), link({ inputRequests: asked, inputResponses: { approve: { action: 'accept' } } }), ctx);
    expect(task).toMatchObject({ status: 'input_required', inputRequests: { budget: asked.budget } });
    expect(task.pollIntervalMs).toBeUndefined();
    expect(toTask(job(), link({ inputRequests: asked, inputResponses: { approve: {}, budget: {} } }), ctx).status).toBe('working');
  });

  it('takes the newest of creation, start, progress and end as the last update', () => {
    expect(toTask(job({ progress: { turns: 1, tail: ['x'], updatedAt: T0 + 4_000 } }), link(), ctx).lastUpdatedAt).toBe('2026-12-03T05:00:04.000Z');
    expect(toTask(job({ status: 'done', endedAt: T0 + 9_000, result: runResult() }), link(), ctx).lastUpdatedAt).toBe('2026-12-03T05:00:09.000Z');
  });

  it('starts a task as working with a poll interval, whatever the job did meanwhile', () => {
    expect(toStartedTask(job({ status: 'pending' }), ctx)).toEqual({
      taskId: ID, status: 'working', statusMessage: `alpha · queued (job ${ID})`, createdAt: '2026-12-03T05:00:00.000Z',
      lastUpdatedAt: '2026-12-03T05:00:00.100Z', ttlMs: null, pollIntervalMs: 1000,
    });
  });
});

describe('ttlMs', () => {
  it.each([
    ['keeps jobs forever when retention is 0', { createdAt: T0 }, 0, null],
    ['counts a working task as ending now', { createdAt: T0 }, 1, 5_000 + 86_400_000],
    ['counts a finished task from its end', { createdAt: T0, endedAt: T0 + 2_000 }, 2, 2_000 + 2 * 86_400_000],
  ])('%s', (_name, record, days, expected) => {
    expect(ttlMs(record, T0 + 5_000, days)).toBe(expected);
  });
});

describe('workingMessage and outstanding', () => {
  it('prefixes the progress line with the agent, as the synchronous progress does', () => {
    expect(workingMessage(job({ progress: { turns: 1, tail: ['turn 1 · Read: a.ts'], updatedAt: T0 } }))).toBe('alpha · turn 1 · Read: a.ts');
  });

  it.each([
    [{}, {}, {}],
    [{ a: 1, b: 2 }, { a: 'x' }, { b: 2 }],
    [{ a: 1 }, { a: 'x', z: 'y' }, {}],
  ])('outstanding(%j answered %j) is %j', (inputRequests, inputResponses, expected) => {
    expect(outstanding({ inputRequests, inputResponses })).toEqual(expected);
  });
});

describe('toTask with permission requests (approvals "ask")', () => {
  const request = { id: 'abcdef12', jobId: ID, agent: 'alpha', toolName: 'Bash', input: { command: 'npm publish' }, askedAt: T0 + 1_000, expiresAt: T0 + 301_000 };

  it('asks each pending request as a form elicitation keyed by its id', () => {
    const task = toTask(job({ pendingApprovals: [request] }), link(), ctx);
    expect(task.status).toBe('input_required');
    const asked = task.inputRequests?.abcdef12 as { method: string; params: { message: string; requestedSchema: { properties: { decision: { oneOf: { const: string }[] } } } } };
    expect(asked.method).toBe('elicitation/create');
    expect(asked.params.message).toContain('Agent alpha asks to use Bash');
    expect(asked.params.message).toContain('command: npm publish');
    expect(asked.params.requestedSchema.properties.decision.oneOf.map((c) => c.const)).toEqual(['allow_once', 'allow_always', 'deny']);
  });

  it('keeps the link\'s own questions beside them, and stays working once a cancel is asked', () => {
    const asked = link({ inputRequests: { other: { method: 'elicitation/create', params: {} } } });
    expect(Object.keys(toTask(job({ pendingApprovals: [request] }), asked, ctx).inputRequests ?? {})).toEqual(['other', 'abcdef12']);
    expect(toTask(job({ pendingApprovals: [request], cancelRequested: true }), link(), ctx).status).toBe('working');
  });
});
