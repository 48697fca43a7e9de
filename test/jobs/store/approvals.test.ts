import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
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

function runningJob() {
  const job = store.create({ kind: 'async', request: { agent: 'api', task: 'deploy' } });
  store.markRunning(job.id);
  return job.id;
}

describe('permission requests in the job store', () => {
  it('keeps a raised request pending, readable by job id, and shows the job as waiting', () => {
    const id = runningJob();
    const request = store.raiseApproval(id, { toolName: 'Bash', input: { command: 'npm test' }, toolUseId: 'toolu_1', expiresAt: clock + 300_000 });
    expect(request).toMatchObject({ jobId: id, agent: 'api', toolName: 'Bash', input: { command: 'npm test' }, toolUseId: 'toolu_1' });
    expect(request.id).toMatch(/^[0-9a-f]{8}$/);
    expect(store.pendingApprovals(id)).toEqual([request]);
    expect(store.get(id).pendingApprovals).toEqual([request]);
    expect(store.list()[0]).toMatchObject({ id, approvalsPending: 1 });
    expect(store.events(id).events.map((e) => e.event)).toEqual([{ type: 'approval_request', requestId: request.id, toolName: 'Bash', input: { command: 'npm test' } }]);
  });

  it('lets the first answer win and records who gave it', () => {
    const id = runningJob();
    const { id: requestId } = store.raiseApproval(id, { toolName: 'Bash', input: { command: 'ls' }, expiresAt: clock + 1000 });
    clock += 50;
    const first = store.decideApproval(id, requestId, { decision: 'deny', decidedBy: 'cli', how: 'jobs deny' });
    const second = store.decideApproval(id, requestId, { decision: 'allow_once', decidedBy: 'dashboard', how: 'dashboard button' });
    expect(first).toMatchObject({ outcome: 'decided', request: { decision: 'deny', decidedBy: 'cli', how: 'jobs deny', decidedAt: clock } });
    expect(second).toMatchObject({ outcome: 'already_decided', request: { decision: 'deny', decidedBy: 'cli' } });
    expect(store.pendingApprovals(id)).toEqual([]);
    expect(store.get(id).pendingApprovals).toBeUndefined();
    expect(store.list()[0]!.approvalsPending).toBeUndefined();
    expect(store.events(id).events.at(-1)?.event).toEqual({ type: 'approval_decision', requestId, toolName: 'Bash', decision: 'deny', decidedBy: 'cli', how: 'jobs deny' });
  });

  it.each([
    ['an unknown request', (id: string) => store.decideApproval(id, 'abcdef12', { decision: 'deny', decidedBy: 'cli', how: 'x' }), /has no permission request abcdef12/],
    ['a malformed request id', (id: string) => store.decideApproval(id, 'x; drop', { decision: 'deny', decidedBy: 'cli', how: 'x' }), /Malformed request id/],
    ['an unknown decision', (id: string) => store.decideApproval(id, 'abcdef12', { decision: 'maybe' as never, decidedBy: 'cli', how: 'x' }), /Unknown decision "maybe"/],
  ])('refuses %s with a clear error', (_what, act, message) => {
    const id = runningJob();
    expect(() => act(id)).toThrow(message);
  });

  it('refuses requests for, and answers to, a job that has ended', () => {
    const id = runningJob();
    const { id: requestId } = store.raiseApproval(id, { toolName: 'Bash', input: { command: 'ls' }, expiresAt: clock + 1000 });
    store.finish(id, { status: 'done', result: runResult() });
    expect(() => store.decideApproval(id, requestId, { decision: 'allow_once', decidedBy: 'cli', how: 'x' })).toThrow(/has ended/);
    expect(() => store.raiseApproval(id, { toolName: 'Bash', input: {}, expiresAt: clock })).toThrow(/has ended/);
    expect(store.get(id).pendingApprovals).toBeUndefined();
  });

  it.each([5, 6, 7])('upgrades a version %i database: its jobs keep working and can raise requests', (version) => {
    store.close();
    rmSync(dirname(env.path), { recursive: true });
    const old = env.open({ migrations: MIGRATIONS.slice(0, version) });
    const job = old.create({ kind: 'async', request: { agent: 'api', task: 'deploy' } });
    old.close();
    store = env.open({ now: () => clock });
    expect(store.get(job.id)).toMatchObject({ status: 'pending' });
    expect(store.get(job.id).pendingApprovals).toBeUndefined();
    store.markRunning(job.id);
    const request = store.raiseApproval(job.id, { toolName: 'Bash', input: { command: 'ls' }, expiresAt: clock + 1000 });
    expect(store.get(job.id).pendingApprovals).toEqual([request]);
    expect(store.taskLink(store.create({ kind: 'async', request: { agent: 'api', task: 'x' }, task: { tool: 'dispatch', shape: {} } }).id)?.tool).toBe('dispatch');
  });
});
