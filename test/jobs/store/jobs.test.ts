import { describe, expect, it } from 'vitest';
import type { DispatchErrorCode } from '../../../src/shared/errors.js';
import { isDispatchError } from '../../../src/shared/errors.js';
import { runResult, clockedStorePerTest } from '../support/store.js';

const t = clockedStorePerTest();

const request = (agent = 'api', task = 'Fix the failing test', caller = 'web') => ({ agent, task, caller });

function codeOf(fn: () => unknown): DispatchErrorCode | undefined {
  try {
    fn();
  } catch (error) {
    return isDispatchError(error) ? error.code : undefined;
  }
  return undefined;
}

describe('job lifecycle', () => {
  it('creates a pending job owned by this process and reads it back', () => {
    const job = t.store.create({ kind: 'async', request: request(), prompt: 'the prompt' });
    expect(job).toMatchObject({ kind: 'async', status: 'pending', agent: 'api', caller: 'web', prompt: 'the prompt', ownerPid: process.pid, cancelRequested: false });
    expect(job.progress).toEqual({ turns: 0, tail: [], updatedAt: t.clock });
    expect(t.store.get(job.id)).toEqual(job);
    expect(t.store.get(job.id.toUpperCase()).id).toBe(job.id);
  });

  it('keeps the parts the prompt was built from, with the request\'s task and nothing else of a run request', () => {
    const run = { agent: { name: 'api', directory: '/x' }, task: 'Fix the failing test', goal: 'green CI', context: 'shared\n\nmine', timeoutSeconds: 5 };
    const job = t.store.create({ kind: 'sync', request: { ...request(), context: 'mine' }, prompt: 'built', promptParts: run });
    expect(t.store.get(job.id).promptParts).toEqual({ task: 'Fix the failing test', goal: 'green CI', context: 'shared\n\nmine' });
    expect(t.store.create({ kind: 'sync', request: request() }).promptParts).toBeUndefined();
  });

  it('moves pending → running → done and keeps the full result', () => {
    const job = t.store.create({ kind: 'sync', request: request() });
    t.clock += 10;
    expect(t.store.markRunning(job.id, { childPid: 4242 })).toBe(true);
    expect(t.store.get(job.id)).toMatchObject({ status: 'running', startedAt: t.clock, childPid: 4242 });
    t.store.setChild(job.id, 4343);
    t.clock += 1000;
    const result = runResult({ text: 'x'.repeat(100_000) });
    expect(t.store.finish(job.id, { status: 'done', result })).toBe(true);
    const done = t.store.get(job.id);
    expect(done).toMatchObject({ status: 'done', endedAt: t.clock, childPid: 4343 });
    expect(done.result).toEqual(result);
  });

  it('keeps the first terminal state: finish after a cancel is a no-op returning false', () => {
    const job = t.store.create({ kind: 'async', request: request() });
    expect(t.store.requestCancel(job.id).outcome).toBe('cancelled');
    expect(t.store.finish(job.id, { status: 'done', result: runResult() })).toBe(false);
    expect(t.store.get(job.id)).toMatchObject({ status: 'cancelled', failureReason: 'cancelled before it started' });
    expect(t.store.get(job.id).result).toBeUndefined();
    expect(t.store.markRunning(job.id)).toBe(false);
  });

  it('flags a running job for its owner instead of ending it', () => {
    const job = t.store.create({ kind: 'async', request: request() });
    t.store.markRunning(job.id);
    expect(t.store.isCancelRequested(job.id)).toBe(false);
    const { outcome, job: after } = t.store.requestCancel(job.id);
    expect(outcome).toBe('requested');
    expect(after).toMatchObject({ status: 'running', cancelRequested: true });
    expect(t.store.isCancelRequested(job.id)).toBe(true);
    t.store.finish(job.id, { status: 'cancelled', result: runResult({ ok: false, error: { type: 'cancelled', message: 'cancelled' } }) });
    expect(t.store.requestCancel(job.id).outcome).toBe('already_terminal');
  });

  it('hands a pending job to another owner only while it is pending', () => {
    const job = t.store.create({ kind: 'async', request: request() });
    expect(t.store.claim(job.id, { pid: 99, startedAt: 5 })).toBe(true);
    expect(t.store.get(job.id)).toMatchObject({ ownerPid: 99, ownerStartedAt: 5 });
    t.store.markRunning(job.id);
    expect(t.store.claim(job.id, { pid: 98 })).toBe(false);
  });

  it('saves progress while active and drops late saves', () => {
    const job = t.store.create({ kind: 'async', request: request() });
    t.store.markRunning(job.id);
    const progress = { turns: 2, lastTool: 'Bash: npm test', costUsd: 0.05, tail: ['started', 'turn 2 · Bash: npm test'], updatedAt: t.clock };
    t.store.saveProgress(job.id, progress);
    expect(t.store.get(job.id).progress).toEqual(progress);
    expect(t.store.list()[0]).toMatchObject({ turns: 2, lastTool: 'Bash: npm test', lastLine: 'turn 2 · Bash: npm test', costUsd: 0.05 });
    t.store.finish(job.id, { status: 'failed', reason: 'boom' });
    t.store.saveProgress(job.id, { ...progress, tail: ['late'] });
    expect(t.store.get(job.id).progress.tail).toEqual(progress.tail);
    expect(t.store.list()[0]).toMatchObject({ status: 'failed', failureReason: 'boom', lastLine: 'turn 2 · Bash: npm test' });
  });

  it.each<[string, () => unknown, DispatchErrorCode]>([
    ['a malformed id', () => t.store.get('nope'), 'INVALID_INPUT'],
    ['an unknown id', () => t.store.get('0'.repeat(32)), 'JOB_NOT_FOUND'],
    ['finishing an unknown id', () => t.store.finish('0'.repeat(32), { status: 'done' }), 'JOB_NOT_FOUND'],
    ['a non-terminal finish', () => t.store.finish('0'.repeat(32), { status: 'running' as never }), 'INVALID_INPUT'],
    ['cancelling a malformed id', () => t.store.requestCancel('../x'), 'INVALID_INPUT'],
    ['a request without agent', () => t.store.create({ kind: 'async', request: { agent: '', task: 't' } }), 'INVALID_INPUT'],
    ['an unknown kind', () => t.store.create({ kind: 'later' as never, request: request() }), 'INVALID_INPUT'],
    ['the kind ref, which nothing ever started', () => t.store.create({ kind: 'ref' as never, request: request() }), 'INVALID_INPUT'],
    ['an unknown status filter', () => t.store.list({ status: 'sleeping' as never }), 'INVALID_INPUT'],
    ['a zero limit', () => t.store.list({ limit: 0 }), 'INVALID_INPUT'],
    ['an unknown cursor', () => t.store.list({ before: 'f'.repeat(32) }), 'JOB_NOT_FOUND'],
    ['a negative gc age', () => t.store.gc(-1), 'INVALID_INPUT'],
  ])('rejects %s with a coded error', (_name, call, code) => {
    expect(codeOf(call)).toBe(code);
  });

  it('says what a job id looks like when it is malformed', () => {
    expect(() => t.store.get('abc')).toThrow(/Malformed job id "abc": a job id is 32 lowercase hex characters/);
  });
});

describe('listing', () => {
  it('lists newest first with filters, paging and a cursor', () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      t.clock += 1;
      ids.push(t.store.create({ kind: 'async', request: request(i % 2 ? 'web' : 'api', `task ${i}`, i < 3 ? 'alice' : 'bob') }).id);
    }
    t.store.markRunning(ids[6] as string);
    expect(t.store.list().map((j) => j.id)).toEqual([...ids].reverse());
    expect(t.store.list({ agent: 'web' }).map((j) => j.task)).toEqual(['task 5', 'task 3', 'task 1']);
    expect(t.store.list({ caller: 'alice' })).toHaveLength(3);
    expect(t.store.list({ status: 'running' }).map((j) => j.id)).toEqual([ids[6]]);
    expect(t.store.list({ status: ['running', 'pending'] })).toHaveLength(7);
    const page1 = t.store.list({ limit: 3 });
    const page2 = t.store.list({ limit: 3, before: page1.at(-1)?.id });
    expect([...page1, ...page2].map((j) => j.id)).toEqual([...ids].reverse().slice(0, 6));
    expect(t.store.list({ limit: 2, offset: 5 }).map((j) => j.id)).toEqual([ids[1], ids[0]]);
    expect(t.store.count()).toBe(7);
    expect(t.store.count({ status: 'pending', agent: 'api' })).toBe(3);
  });

  it('returns compact summaries without request or result bodies', () => {
    const job = t.store.create({ kind: 'async', request: request('api', 'y'.repeat(5000)) });
    t.store.markRunning(job.id);
    t.store.finish(job.id, { status: 'done', result: runResult() });
    const [summary] = t.store.list();
    expect(summary).toEqual({
      id: job.id, kind: 'async', status: 'done', agent: 'api', caller: 'web', task: `${'y'.repeat(199)}…`,
      createdAt: t.clock, startedAt: t.clock, endedAt: t.clock, costUsd: 0.25, ok: true, turns: 3, cancelRequested: false,
    });
  });
});

describe('gc and retention', () => {
  it('deletes only terminal jobs older than the threshold, with their events', () => {
    const old = t.store.create({ kind: 'async', request: request() });
    t.store.markRunning(old.id);
    t.store.appendEvents(old.id, [{ type: 'text', text: 'hello' }]);
    t.store.finish(old.id, { status: 'done', result: runResult() });
    const running = t.store.create({ kind: 'async', request: request() });
    t.store.markRunning(running.id);
    t.clock += 8 * 86_400_000;
    const recent = t.store.create({ kind: 'async', request: request() });
    t.store.finish(recent.id, { status: 'failed', reason: 'refused' });
    expect(t.store.gc(7)).toBe(1);
    expect(() => t.store.get(old.id)).toThrow(/No job with id/);
    expect(t.store.list().map((j) => j.id).sort()).toEqual([running.id, recent.id].sort());
    expect(t.store.applyRetention(0)).toBe(0);
    expect(t.store.gc(0)).toBe(1);
    expect(t.store.list().map((j) => j.id)).toEqual([running.id]);
  });

  it('keeps the cost ledger when jobs are collected', () => {
    const job = t.store.create({ kind: 'sync', request: request() });
    t.store.markRunning(job.id);
    t.store.finish(job.id, { status: 'done', result: runResult({ costUsd: 1.5 }) });
    t.store.gc(0);
    expect(t.store.spend({ since: 0 })).toEqual({ costUsd: 1.5, runs: 1 });
  });
});

describe('events timeline', () => {
  it('stores truncated events in order and caps them per job, keeping the first', () => {
    const small = t.env.open({ maxEventsPerJob: 5, now: () => t.clock });
    const job = small.create({ kind: 'async', request: request() });
    small.markRunning(job.id);
    small.appendEvents(job.id, [{ type: 'init', model: 'm', tools: ['Bash'] }]);
    for (let i = 0; i < 4; i++) small.saveProgress(job.id, { turns: i, tail: [], updatedAt: t.clock }, [{ type: 'text', text: `t${i}` }, { type: 'tool_use', id: `u${i}`, name: 'Bash', input: { command: 'z'.repeat(10_000) } }]);
    const { events, dropped } = small.events(job.id);
    expect(dropped).toBe(4);
    expect(events.map((e) => e.event.type)).toEqual(['init', 'text', 'tool_use', 'text', 'tool_use']);
    expect(events[1]?.event).toEqual({ type: 'text', text: 't2' });
    expect(events[0]?.event).toEqual({ type: 'init', model: 'm', tools: ['Bash'] });
    const toolUse = events.find((e) => e.event.type === 'tool_use')?.event as { input: { truncated: boolean; preview: string } };
    expect(toolUse.input.truncated).toBe(true);
    expect(toolUse.input.preview.length).toBe(4000);
    const after = small.events(job.id, { after: events[2]?.seq });
    expect(after.events.map((e) => e.seq)).toEqual(events.slice(3).map((e) => e.seq));
  });

  it('reports an unknown job when reading its events', () => {
    expect(codeOf(() => t.store.events('a'.repeat(32)))).toBe('JOB_NOT_FOUND');
  });
});
