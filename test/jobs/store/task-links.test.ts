import { dirname } from 'node:path';
import { rmSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import type { JobStore } from '../../../src/jobs/store/index.js';
import { MIGRATIONS } from '../../../src/jobs/store/index.js';
import { runResult, storePerTest } from '../support/store.js';

const env = storePerTest();
let store: JobStore;
let clock: number;
beforeEach(() => {
  clock = 1_700_000_000_000;
  store = env.open({ now: () => clock });
});

const request = { agent: 'api', task: 'Fix the failing test', caller: 'web' };
const task = { tool: 'dispatch', shape: { return_ref: true, summary_chars: 80 }, principal: 'f'.repeat(64) };

describe('MCP task links', () => {
  it('stores the link with its job, readable from another connection', () => {
    const job = store.create({ kind: 'async', request, task });
    const other = env.open();
    expect(other.taskLink(job.id)).toEqual({ jobId: job.id, ...task, createdAt: clock, inputRequests: {}, inputResponses: {} });
  });

  it('has no link for a job that was not started as a task, and none for an unknown id', () => {
    const job = store.create({ kind: 'async', request });
    expect(store.taskLink(job.id)).toBeUndefined();
    expect(store.taskLink('0'.repeat(32))).toBeUndefined();
  });

  it('leaves out the principal of a task started over stdio', () => {
    const job = store.create({ kind: 'async', request, task: { tool: 'dispatch_session', shape: {} } });
    expect(store.taskLink(job.id)).not.toHaveProperty('principal');
  });

  it('refuses a malformed id as bad input', () => {
    expect(() => store.taskLink('../etc')).toThrow(/Malformed job id/);
  });

  it('goes away with its job when retention deletes the job', () => {
    const job = store.create({ kind: 'async', request, task });
    store.finish(job.id, { status: 'done', result: runResult() });
    clock += 3 * 86_400_000;
    expect(store.applyRetention(2)).toBe(1);
    expect(store.taskLink(job.id)).toBeUndefined();
  });

  it('keeps only answers to questions that are asked and not yet answered', () => {
    const job = store.create({ kind: 'async', request, task });
    expect(store.answerInput(job.id, { approve: { action: 'accept' } })).toEqual([]);
    expect(store.askInput(job.id, { approve: { method: 'elicitation/create' }, budget: { method: 'elicitation/create' } })).toBe(true);
    expect(store.answerInput(job.id, { approve: { action: 'accept' }, stray: { action: 'accept' } })).toEqual(['approve']);
    expect(store.answerInput(job.id, { approve: { action: 'decline' } })).toEqual([]);
    expect(store.taskLink(job.id)).toMatchObject({
      inputRequests: { approve: { method: 'elicitation/create' }, budget: { method: 'elicitation/create' } },
      inputResponses: { approve: { action: 'accept' } },
    });
  });

  it('answers undefined for answers to a job without a link', () => {
    const job = store.create({ kind: 'async', request });
    expect(store.answerInput(job.id, { a: 1 })).toBeUndefined();
    expect(store.askInput(job.id, { a: 1 })).toBe(false);
  });

  it('upgrades a version 5 database: old jobs keep working and have no link', () => {
    store.close();
    rmSync(dirname(env.path), { recursive: true });
    const old = env.open({ migrations: MIGRATIONS.slice(0, 5) });
    const job = old.create({ kind: 'async', request });
    old.close();
    const upgraded = env.open();
    expect(upgraded.get(job.id).status).toBe('pending');
    expect(upgraded.taskLink(job.id)).toBeUndefined();
    expect(upgraded.taskLink(upgraded.create({ kind: 'async', request, task }).id)?.tool).toBe('dispatch');
  });
});
