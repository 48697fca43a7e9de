import { dirname } from 'node:path';
import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../../src/jobs/store/index.js';
import { runResult, clockedStorePerTest } from '../support/store.js';

const t = clockedStorePerTest();

const request = { agent: 'api', task: 'Fix the failing test', caller: 'web' };
const task = { tool: 'dispatch', shape: { return_ref: true, summary_chars: 80 }, principal: 'f'.repeat(64) };

describe('MCP task links', () => {
  it('stores the link with its job, readable from another connection', () => {
    const job = t.store.create({ kind: 'async', request, task });
    const other = t.env.open();
    expect(other.taskLink(job.id)).toEqual({ jobId: job.id, ...task, createdAt: t.clock, inputRequests: {}, inputResponses: {} });
  });

  it('has no link for a job that was not started as a task, and none for an unknown id', () => {
    const job = t.store.create({ kind: 'async', request });
    expect(t.store.taskLink(job.id)).toBeUndefined();
    expect(t.store.taskLink('0'.repeat(32))).toBeUndefined();
  });

  it('leaves out the principal of a task started over stdio', () => {
    const job = t.store.create({ kind: 'async', request, task: { tool: 'dispatch_session', shape: {} } });
    expect(t.store.taskLink(job.id)).not.toHaveProperty('principal');
  });

  it('refuses a malformed id as bad input', () => {
    expect(() => t.store.taskLink('../etc')).toThrow(/Malformed job id/);
  });

  it('goes away with its job when retention deletes the job', () => {
    const job = t.store.create({ kind: 'async', request, task });
    t.store.finish(job.id, { status: 'done', result: runResult() });
    t.clock += 3 * 86_400_000;
    expect(t.store.applyRetention(2)).toBe(1);
    expect(t.store.taskLink(job.id)).toBeUndefined();
  });

  it('keeps only answers to questions that are asked and not yet answered', () => {
    const job = t.store.create({ kind: 'async', request, task });
    expect(t.store.answerInput(job.id, { approve: { action: 'accept' } })).toEqual([]);
    expect(t.store.askInput(job.id, { approve: { method: 'elicitation/create' }, budget: { method: 'elicitation/create' } })).toBe(true);
    expect(t.store.answerInput(job.id, { approve: { action: 'accept' }, stray: { action: 'accept' } })).toEqual(['approve']);
    expect(t.store.answerInput(job.id, { approve: { action: 'decline' } })).toEqual([]);
    expect(t.store.taskLink(job.id)).toMatchObject({
      inputRequests: { approve: { method: 'elicitation/create' }, budget: { method: 'elicitation/create' } },
      inputResponses: { approve: { action: 'accept' } },
    });
  });

  it('answers undefined for answers to a job without a link', () => {
    const job = t.store.create({ kind: 'async', request });
    expect(t.store.answerInput(job.id, { a: 1 })).toBeUndefined();
    expect(t.store.askInput(job.id, { a: 1 })).toBe(false);
  });

  it('upgrades a version 5 database: old jobs keep working and have no link', () => {
    t.store.close();
    rmSync(dirname(t.env.path), { recursive: true });
    const old = t.env.open({ migrations: MIGRATIONS.slice(0, 5) });
    const job = old.create({ kind: 'async', request });
    old.close();
    const upgraded = t.env.open();
    expect(upgraded.get(job.id).status).toBe('pending');
    expect(upgraded.taskLink(job.id)).toBeUndefined();
    expect(upgraded.taskLink(upgraded.create({ kind: 'async', request, task }).id)?.tool).toBe('dispatch');
  });
});
