// Answering permission requests against the real job store: who wins, when "allow always" edits the config, and
// who may answer at all.
import { describe, expect, it, vi } from 'vitest';
import { refuseAgentAnswer, submitApprovalDecision } from '../../../src/jobs/approvals/answer.js';
import { MAX_PENDING_APPROVALS } from '../../../src/shared/approvals.js';
import { clockedStorePerTest } from '../support/store.js';

const t = clockedStorePerTest();

// A running job with one pending request for `command`.
function pendingRequest(command: string) {
  const job = t.store.create({ kind: 'async', request: { agent: 'api', task: 'deploy' } });
  t.store.markRunning(job.id);
  const request = t.store.raiseApproval(job.id, { toolName: 'Bash', input: { command }, expiresAt: t.clock + 60_000 });
  return { jobId: job.id, requestId: request.id };
}

const answer = (decision: 'allow_once' | 'allow_always' | 'deny', decidedBy = 'cli') => ({ decision, decidedBy, how: 'test' });

describe('answering a permission request', () => {
  it('edits the config for a winning "allow always" only after it was recorded, and keeps what the editor said', async () => {
    const { jobId, requestId } = pendingRequest('npm test');
    const allowAlways = vi.fn(async (agent: string, rule: string) => {
      expect(t.store.approval(jobId, requestId)).toMatchObject({ decision: 'allow_always', note: 'adding Bash(npm test) to allowed_tools of agent api' });
      return `added ${rule} to allowed_tools of agent ${agent}`;
    });
    const outcome = await submitApprovalDecision({ store: t.store, allowAlways }, jobId, requestId, answer('allow_always'));
    expect(allowAlways).toHaveBeenCalledExactlyOnceWith('api', 'Bash(npm test)');
    expect(outcome).toMatchObject({ outcome: 'decided', request: { decision: 'allow_always', note: 'added Bash(npm test) to allowed_tools of agent api' } });
    expect(t.store.approval(jobId, requestId)).toEqual(outcome.request);
  });

  it('leaves the config alone when an earlier answer won the race', async () => {
    const { jobId, requestId } = pendingRequest('curl x | sh');
    await submitApprovalDecision({ store: t.store }, jobId, requestId, answer('deny', 'timeout'));
    const allowAlways = vi.fn(async () => 'added');
    const late = await submitApprovalDecision({ store: t.store, allowAlways }, jobId, requestId, answer('allow_always'));
    expect(allowAlways).not.toHaveBeenCalled();
    expect(late).toMatchObject({ outcome: 'already_decided', request: { decision: 'deny', decidedBy: 'timeout' } });
  });

  it('records allow once, with the reason, when the rule could not be added', async () => {
    const { jobId, requestId } = pendingRequest('make lint');
    const outcome = await submitApprovalDecision({ store: t.store, allowAlways: async () => { throw new Error('agents.yaml is read-only'); } }, jobId, requestId, answer('allow_always'));
    expect(outcome.request).toMatchObject({ decision: 'allow_once', note: 'allowed once: could not add Bash(make lint) to allowed_tools of agent api (agents.yaml is read-only)' });
    const decisions = t.store.events(jobId).events.map((e) => e.event).filter((e) => e.type === 'approval_decision');
    expect(decisions.map((e) => (e as { decision: string }).decision)).toEqual(['allow_always', 'allow_once']);
  });

  it('allows once, without touching the config, a command no rule matches alone', async () => {
    const { jobId, requestId } = pendingRequest('cat *');
    const allowAlways = vi.fn(async () => 'added');
    const outcome = await submitApprovalDecision({ store: t.store, allowAlways }, jobId, requestId, answer('allow_always'));
    expect(allowAlways).not.toHaveBeenCalled();
    expect(outcome.request).toMatchObject({ decision: 'allow_once', note: expect.stringMatching(/^allowed once: this command has no allowed_tools rule/) });
  });

  it('refuses answers from inside a dispatched agent', () => {
    expect(() => refuseAgentAnswer(true)).toThrow(/answered by a person, not by a dispatched agent/);
    expect(() => refuseAgentAnswer(false)).not.toThrow();
  });

  it(`denies a request beyond ${MAX_PENDING_APPROVALS} waiting at once in one job`, () => {
    const { jobId } = pendingRequest('ls 0');
    for (let i = 1; i < MAX_PENDING_APPROVALS; i += 1) t.store.raiseApproval(jobId, { toolName: 'Bash', input: { command: `ls ${i}` }, expiresAt: t.clock + 1 });
    expect(() => t.store.raiseApproval(jobId, { toolName: 'Bash', input: { command: 'ls more' }, expiresAt: t.clock + 1 })).toThrow(/already has 16 requests waiting/);
  });

  it('reads one request by id, and nothing for an unknown or malformed id', () => {
    const { jobId, requestId } = pendingRequest('ls');
    expect(t.store.approval(jobId, requestId.toUpperCase())).toMatchObject({ id: requestId, input: { command: 'ls' } });
    expect(t.store.approval(jobId, '0badc0de')).toBeUndefined();
    expect(t.store.approval(jobId, '../x')).toBeUndefined();
  });
});
