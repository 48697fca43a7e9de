import { describe, expect, it } from 'vitest';
import { clockedStorePerTest } from '../support/store.js';

const t = clockedStorePerTest();

const members = [
  { agent: 'api', jobId: 'a'.repeat(32), shape: { return_ref: false, summary_chars: 500 } },
  { agent: 'web', shape: {}, answer: { agent: 'web', success: false, error: 'Daily budget reached.' } },
];

describe('MCP task groups', () => {
  it('stores a group under a new random id, readable from another connection', () => {
    const group = t.store.createTaskGroup({ tool: 'dispatch_parallel', principal: 'f'.repeat(64), members });
    expect(group.id).toMatch(/^[0-9a-f]{32}$/);
    expect(t.store.createTaskGroup({ tool: 'dispatch_parallel', members }).id).not.toBe(group.id);
    expect(t.env.open().taskGroup(group.id)).toEqual({ id: group.id, tool: 'dispatch_parallel', principal: 'f'.repeat(64), createdAt: t.clock, members });
  });

  it('has no group for an unknown id and refuses a malformed one', () => {
    expect(t.store.taskGroup('0'.repeat(32))).toBeUndefined();
    expect(() => t.store.taskGroup('../x')).toThrow(/Malformed job id/);
  });

  it('drops groups older than the retention with the jobs', () => {
    const group = t.store.createTaskGroup({ tool: 'dispatch_parallel', members });
    t.clock += 3 * 86_400_000;
    const young = t.store.createTaskGroup({ tool: 'dispatch_parallel', members });
    t.store.gc(2);
    expect(t.store.taskGroup(group.id)).toBeUndefined();
    expect(t.store.taskGroup(young.id)).toBeDefined();
  });
});
