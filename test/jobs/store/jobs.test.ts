import { beforeEach, describe, expect, it } from 'vitest';
import type { DispatchErrorCode } from '../../../src/shared/errors.js';
import { isDispatchError } from '../../../src/shared/errors.js';
import type { JobStore } from '../../../src/jobs/store/index.js';
import { runResult, storePerTest } from '../support/store.js';

const env = storePerTest();
let store: JobStore;
let clock: number;
beforeEach(() => {
  clock = 1_700_000_000_000;
  store = env.open({ now: () => clock });
});

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
    const job = store.create({ kind: 'async', request: request(), prompt: 'the prompt' });
    expect(job).toMatchObject({ kind: 'async', status: 'pending', agent: 'api', caller: 'web', prompt: 'the prompt', ownerPid: process.pid, cancelRequested: false });
    expect(job.progress).toEqual({ turns: 0, tail: [], updatedAt: clock });
    expect(store.get(job.id)).toEqual(job);
    expect(store.get(job.id.toUpperCase()).id).toBe(job.id);
  });

  it('keeps the parts the prompt was built from, with the request\'s task and nothing else of a run request', () => {
    const run = { agent: { name: 'api', directory: '/x' }, task: 'Fix the failing test', goal: 'green CI', context: 'shared\n\nmine', timeoutSeconds: 5 };
    const job = store.create({ kind: 'sync', request: { ...request(), context: 'mine' }, prompt: 'built', promptParts: run });
    expect(store.get(job.id).promptParts).toEqual({ task: 'Fix the failing test', goal: 'green CI', context: 'shared\n\nmine' });
    expect(store.create({ kind: 'sync', request: request() }).promptParts).toBeUndefined();
  });

  it('moves pending → running → done and keeps the full result', () => {
    const job = store.create({ kind: 'sync', request: request() });
    clock += 10;
    expect(store.markRunning(job.id, { childPid: 4242 })).toBe(true);
    expect(store.get(job.id)).toMatchObject({ status: 'running', startedAt: clock, childPid: 4242 });
    store.setChild(job.id, 4343);
    clock += 1000;
    const result = runResult({ text: 'x'.repeat(100_000) });
    expect(store.finish(job.id, { status: 'done', result })).toBe(true);
    const done = store.get(job.id);
    expect(done).toMatchObject({ status: 'done', endedAt: clock, childPid: 4343 });
    expect(done.result).toEqual(result);
  });

  it('keeps the first terminal state: finish after a cancel is a no-op returning false', () => {
    const job = store.create({ kind: 'async', request: request() });
    expect(store.requestCancel(job.id).outcome).toBe('cancelled');
    expect(store.finish(job.id, { status: 'done', result: runResult() })).toBe(false);
    expect(store.get(job.id)).toMatchObject({ status: 'cancelled', failureReason: 'cancelled before it started' });
    expect(store.get(job.id).result).toBeUndefined();
    expect(store.markRunning(job.id)).toBe(false);
  });

  it('flags a running job for its owner instead of ending it', () => {
    const job = store.create({ kind: 'async', request: request() });
    store.markRunning(job.id);
    expect(store.isCancelRequested(job.id)).toBe(false);
    const { outcome, job: after } = store.requestCancel(job.id);
    expect(outcome).toBe('requested');
    expect(after).toMatchObject({ status: 'running', cancelRequested: true });
    expect(store.isCancelRequested(job.id)).toBe(true);
    store.finish(job.id, { status: 'cancelled', result: runResult({ ok: false, error: { type: 'cancelled', message: 'cancelled' } }) });
    expect(store.requestCancel(job.id).outcome).toBe('already_terminal');
  });

  it('hands a pending job to another owner only while it is pending', () => {
    const job = store.create({ kind: 'async', request: request() });
    expect(store.claim(job.id, { pid: 99, startedAt: 5 })).toBe(true);
    expect(store.get(job.id)).toMatchObject({ ownerPid: 99, ownerStartedAt: 5 });
    store.markRunning(job.id);
    expect(store.claim(job.id, { pid: 98 })).toBe(false);
  });

  it('saves progress while active and drops late saves', () => {
    const job = store.create({ kind: 'async', request: request() });
    store.markRunning(job.id);
    const progress = { turns: 2, lastTool: 'Bash: npm test', costUsd: 0.05, tail: ['started', 'turn 2 · Bash: npm test'], updatedAt: clock };
    store.saveProgress(job.id, progress);
    expect(store.get(job.id).progress).toEqual(progress);
    expect(store.list()[0]).toMatchObject({ turns: 2, lastTool: 'Bash: npm test', lastLine: 'turn 2 · Bash: npm test', costUsd: 0.05 });
    store.finish(job.id, { status: 'failed', reason: 'boom' });
    store.saveProgress(job.id, { ...progress, tail: ['late'] });
    expect(store.get(job.id).progress.tail).toEqual(progress.tail);
    expect(store.list()[0]).toMatchObject({ status: 'failed', failureReason: 'boom', lastLine: 'turn 2 · Bash: npm test' });
  });

  it.each<[string, () => unknown, DispatchErrorCode]>([
    ['a malformed id', () => store.get('nope'), 'INVALID_INPUT'],
    ['an unknown id', () => store.get('0'.repeat(32)), 'JOB_NOT_FOUND'],
    ['finishing an unknown id', () => store.finish('0'.repeat(32), { status: 'done' }), 'JOB_NOT_FOUND'],
    ['a non-terminal finish', () => store.finish('0'.repeat(32), { status: 'running' as never }), 'INVALID_INPUT'],
    ['cancelling a malformed id', () => store.requestCancel('../x'), 'INVALID_INPUT'],
    ['a request without agent', () => store.create({ kind: 'async', request: { agent: '', task: 't' } }), 'INVALID_INPUT'],
    ['an unknown kind', () => store.create({ kind: 'later' as never, request: request() }), 'INVALID_INPUT'],
    ['the kind ref, which nothing ever started', () => store.create({ kind: 'ref' as never, request: request() }), 'INVALID_INPUT'],
    ['an unknown status filter', () => store.list({ status: 'sleeping' as never }), 'INVALID_INPUT'],
    ['a zero limit', () => store.list({ limit: 0 }), 'INVALID_INPUT'],
    ['an unknown cursor', () => store.list({ before: 'f'.repeat(32) }), 'JOB_NOT_FOUND'],
    ['a negative gc age', () => store.gc(-1), 'INVALID_INPUT'],
  ])('rejects %s with a coded error', (_name, call, code) => {
    expect(codeOf(call)).toBe(code);
  });

  it('says what a job id looks like when it is malformed', () => {
    expect(() => store.get('abc')).toThrow(/Malformed job id "abc": a job id is 32 lowercase hex characters/);
  });
});

describe('listing', () => {
  it('lists newest first with filters, paging and a cursor', () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      clock += 1;
      ids.push(store.create({ kind: 'async', request: request(i % 2 ? 'web' : 'api', `task ${i}`, i < 3 ? 'alice' : 'bob') }).id);
    }
    store.markRunning(ids[6] as string);
    expect(store.list().map((j) => j.id)).toEqual([...ids].reverse());
    expect(store.list({ agent: 'web' }).map((j) => j.task)).toEqual(['task 5', 'task 3', 'task 1']);
    expect(store.list({ caller: 'alice' })).toHaveLength(3);
    expect(store.list({ status: 'running' }).map((j) => j.id)).toEqual([ids[6]]);
    expect(store.list({ status: ['running', 'pending'] })).toHaveLength(7);
    const page1 = store.list({ limit: 3 });
    const page2 = store.list({ limit: 3, before: page1.at(-1)?.id });
    expect([...page1, ...page2].map((j) => j.id)).toEqual([...ids].reverse().slice(0, 6));
    expect(store.list({ limit: 2, offset: 5 }).map((j) => j.id)).toEqual([ids[1], ids[0]]);
    expect(store.count()).toBe(7);
    expect(store.count({ status: 'pending', agent: 'api' })).toBe(3);
  });

  it('returns compact summaries without request or result bodies', () => {
    const job = store.create({ kind: 'async', request: request('api', 'y'.repeat(5000)) });
    store.markRunning(job.id);
    store.finish(job.id, { status: 'done', result: runResult() });
    const [summary] = store.list();
    expect(summary).toEqual({
      id: job.id, kind: 'async', status: 'done', agent: 'api', caller: 'web', task: `${'y'.repeat(199)}…`,
      createdAt: clock, startedAt: clock, endedAt: clock, costUsd: 0.25, ok: true, turns: 3, cancelRequested: false,
    });
  });
});

describe('gc and retention', () => {
  it('deletes only terminal jobs older than the threshold, with their events', () => {
    const old = store.create({ kind: 'async', request: request() });
    store.markRunning(old.id);
    store.appendEvents(old.id, [{ type: 'text', text: 'hello' }]);
    store.finish(old.id, { status: 'done', result: runResult() });
    const running = store.create({ kind: 'async', request: request() });
    store.markRunning(running.id);
    clock += 8 * 86_400_000;
    const recent = store.create({ kind: 'async', request: request() });
    store.finish(recent.id, { status: 'failed', reason: 'refused' });
    expect(store.gc(7)).toBe(1);
    expect(() => store.get(old.id)).toThrow(/No job with id/);
    expect(store.list().map((j) => j.id).sort()).toEqual([running.id, recent.id].sort());
    expect(store.applyRetention(0)).toBe(0);
    expect(store.gc(0)).toBe(1);
    expect(store.list().map((j) => j.id)).toEqual([running.id]);
  });

  it('keeps the cost ledger when jobs are collected', () => {
    const job = store.create({ kind: 'sync', request: request() });
    store.markRunning(job.id);
    store.finish(job.id, { status: 'done', result: runResult({ costUsd: 1.5 }) });
    store.gc(0);
    expect(store.spend({ since: 0 })).toEqual({ costUsd: 1.5, runs: 1 });
  });
});

describe('events timeline', () => {
  it('stores truncated events in order and caps them per job, keeping the first', () => {
    const small = env.open({ maxEventsPerJob: 5, now: () => clock });
    const job = small.create({ kind: 'async', request: request() });
    small.markRunning(job.id);
    small.appendEvents(job.id, [{ type: 'init', model: 'm', tools: ['Bash'] }]);
    for (let i = 0; i < 4; i++) small.saveProgress(job.id, { turns: i, tail: [], updatedAt: clock }, [{ type: 'text', text: `t${i}` }, { type: 'tool_use', id: `u${i}`, name: 'Bash', input: { command: 'z'.repeat(10_000) } }]);
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
    expect(codeOf(() => store.events('a'.repeat(32)))).toBe('JOB_NOT_FOUND');
  });
});
