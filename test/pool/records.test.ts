import { describe, expect, it } from 'vitest';
import { failoverTimings } from '../../src/pool/timings.js';
import { agentQueue, safeHost, sessionQueue } from '../../src/pool/keys.js';
import { finishedFields, statusOf, toJobRecord, toSummary } from '../../src/pool/records.js';
import type { RunResult } from '../../src/shared/types.js';

const result = (over: Partial<RunResult> = {}): RunResult => ({
  ok: true, agent: 'api', runtime: 'claude', text: 'hi', costUsd: 0.5, usage: { inputTokens: 1, outputTokens: 1, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 },
  numTurns: 1, durationMs: 10, permissionDenials: [], exitCode: 0, signal: null, stderrTail: '', ...over,
});

describe('failoverTimings', () => {
  it.each([
    [undefined, { boundMs: 20_000, lockMs: 13_000, stalledIntervalMs: 5_000, renewMs: 4_333 }],
    [4, { boundMs: 4_000, lockMs: 2_600, stalledIntervalMs: 1_000, renewMs: 867 }],
    [30, { boundMs: 30_000, lockMs: 19_500, stalledIntervalMs: 7_500, renewMs: 6_500 }],
  ])('splits a bound of %s s so that lock + stall interval leave a tenth of it for telling the caller', (seconds, expected) => {
    const t = failoverTimings(seconds);
    expect(t).toEqual(expected);
    expect(t.lockMs + t.stalledIntervalMs).toBe(t.boundMs * 0.9);
  });
});

describe('queue names', () => {
  it.each([
    [agentQueue('api'), 'agent.api'],
    [sessionQueue('api', 'gpu-box'), 'sess.api.gpu-box'],
    [safeHost('my host:1'), 'my_host_1'],
    [safeHost(''), 'host'],
  ])('%s is %s (never a ":", which BullMQ refuses)', (name, expected) => {
    expect(name).toBe(expected);
    expect(name).not.toContain(':');
  });
});

describe('records', () => {
  it.each([
    [result(), 'done'],
    [result({ ok: false, error: { type: 'cancelled', message: 'x' } }), 'cancelled'],
    [result({ ok: false, error: { type: 'timeout', message: 'x' } }), 'failed'],
  ])('a result ends the job as %#', (r, status) => {
    expect(statusOf(r)).toBe(status);
  });

  it('round-trips a finished record into the job and list shapes, with its host', () => {
    const fields = { id: 'j1', kind: 'async', agent: 'api', caller: 'me', task: 'do it', createdAt: '1000', startedAt: '1100', host: 'gpu', request: JSON.stringify({ agent: 'api', task: 'do it' }), ...finishedFields(result(), 2000) };
    expect(toJobRecord(fields)).toMatchObject({ id: 'j1', status: 'done', host: 'gpu', startedAt: 1100, endedAt: 2000, result: { text: 'hi', costUsd: 0.5 }, request: { task: 'do it' } });
    expect(toSummary(fields)).toMatchObject({ id: 'j1', status: 'done', host: 'gpu', costUsd: 0.5, ok: true, task: 'do it' });
  });

  it('reads a record written before its end, with no result yet', () => {
    expect(toJobRecord({ id: 'j2', agent: 'web', status: 'pending', createdAt: '5' })).toMatchObject({ id: 'j2', status: 'pending', progress: { turns: 0 }, cancelRequested: false });
  });
});
