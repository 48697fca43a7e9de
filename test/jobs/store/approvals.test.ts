import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../../src/jobs/store/index.js';
import { runResult, clockedStorePerTest } from '../support/store.js';

const t = clockedStorePerTest();

function runningJob() {
  const job = t.store.create({ kind: 'async', request: { agent: 'api', task: 'deploy' } });
  t.store.markRunning(job.id);
  return job.id;
}

describe('permission requests in the job store', () => {
  it('keeps a raised request pending, readable by job id, and shows the job as waiting', () => {
    const id = runningJob();
    const request = t.store.raiseApproval(id, { toolName: 'Bash', input: { command: 'npm test' }, toolUseId: 'toolu_1', expiresAt: t.clock + 300_000 });
    expect(request).toMatchObject({ jobId: id, agent: 'api', toolName: 'Bash', input: { command: 'npm test' }, toolUseId: 'toolu_1' });
    expect(request.id).toMatch(/^[0-9a-f]{8}$/);
    expect(t.store.pendingApprovals(id)).toEqual([request]);
    expect(t.store.get(id).pendingApprovals).toEqual([request]);
    expect(t.store.list()[0]).toMatchObject({ id, approvalsPending: 1 });
    expect(t.store.events(id).events.map((e) => e.event)).toEqual([{ type: 'approval_request', requestId: request.id, toolName: 'Bash', input: { command: 'npm test' } }]);
  });

  it('lets the first answer win and records who gave it', () => {
    const id = runningJob();
    const { id: requestId } = t.store.raiseApproval(id, { toolName: 'Bash', input: { command: 'ls' }, expiresAt: t.clock + 1000 });
    t.clock += 50;
    const first = t.store.decideApproval(id, requestId, { decision: 'deny', decidedBy: 'cli', how: 'jobs deny' });
    const second = t.store.decideApproval(id, requestId, { decision: 'allow_once', decidedBy: 'dashboard', how: 'dashboard button' });
    expect(first).toMatchObject({ outcome: 'decided', request: { decision: 'deny', decidedBy: 'cli', how: 'jobs deny', decidedAt: t.clock } });
    expect(second).toMatchObject({ outcome: 'already_decided', request: { decision: 'deny', decidedBy: 'cli' } });
    expect(t.store.pendingApprovals(id)).toEqual([]);
    expect(t.store.get(id).pendingApprovals).toBeUndefined();
    expect(t.store.list()[0]!.approvalsPending).toBeUndefined();
    expect(t.store.events(id).events.at(-1)?.event).toEqual({ type: 'approval_decision', requestId, toolName: 'Bash', decision: 'deny', decidedBy: 'cli', how: 'jobs deny' });
  });

  it.each([
    ['an unknown request', (id: string) => t.store.decideApproval(id, 'abcdef12', { decision: 'deny', decidedBy: 'cli', how: 'x' }), /has no permission request abcdef12/],
    ['a malformed request id', (id: string) => t.store.decideApproval(id, 'x; drop', { decision: 'deny', decidedBy: 'cli', how: 'x' }), /Malformed request id/],
    ['an unknown decision', (id: string) => t.store.decideApproval(id, 'abcdef12', { decision: 'maybe' as never, decidedBy: 'cli', how: 'x' }), /Unknown decision "maybe"/],
  ])('refuses %s with a clear error', (_what, act, message) => {
    const id = runningJob();
    expect(() => act(id)).toThrow(message);
  });

  it('refuses requests for, and answers to, a job that has ended', () => {
    const id = runningJob();
    const { id: requestId } = t.store.raiseApproval(id, { toolName: 'Bash', input: { command: 'ls' }, expiresAt: t.clock + 1000 });
    t.store.finish(id, { status: 'done', result: runResult() });
    expect(() => t.store.decideApproval(id, requestId, { decision: 'allow_once', decidedBy: 'cli', how: 'x' })).toThrow(/has ended/);
    expect(() => t.store.raiseApproval(id, { toolName: 'Bash', input: {}, expiresAt: t.clock })).toThrow(/has ended/);
    expect(t.store.get(id).pendingApprovals).toBeUndefined();
  });

  it.each([5, 6, 7])('upgrades a version %i database: its jobs keep working and can raise requests', (version) => {
    t.store.close();
    rmSync(dirname(t.env.path), { recursive: true });
    const old = t.env.open({ migrations: MIGRATIONS.slice(0, version) });
    const job = old.create({ kind: 'async', request: { agent: 'api', task: 'deploy' } });
    old.close();
    t.store = t.env.open({ now: () => t.clock });
    expect(t.store.get(job.id)).toMatchObject({ status: 'pending' });
    expect(t.store.get(job.id).pendingApprovals).toBeUndefined();
    t.store.markRunning(job.id);
    const request = t.store.raiseApproval(job.id, { toolName: 'Bash', input: { command: 'ls' }, expiresAt: t.clock + 1000 });
    expect(t.store.get(job.id).pendingApprovals).toEqual([request]);
    expect(t.store.taskLink(t.store.create({ kind: 'async', request: { agent: 'api', task: 'x' }, task: { tool: 'dispatch', shape: {} } }).id)?.tool).toBe('dispatch');
  });
});
