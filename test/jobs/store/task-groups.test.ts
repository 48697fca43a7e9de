import { beforeEach, describe, expect, it } from 'vitest';
import type { JobStore } from '../../../src/jobs/store/index.js';
import { storePerTest } from '../support/store.js';

const env = storePerTest();
let store: JobStore;
let clock: number;
beforeEach(() => {
  clock = 1_700_000_000_000;
  store = env.open({ now: () => clock });
});

const members = [
  { agent: 'api', jobId: 'a'.repeat(32), shape: { return_ref: false, summary_chars: 500 } },
  { agent: 'web', shape: {}, answer: { agent: 'web', success: false, error: 'Daily budget reached.' } },
];

describe('MCP task groups', () => {
  it('stores a group under a new random id, readable from another connection', () => {
    const group = store.createTaskGroup({ tool: 'dispatch_parallel', principal: 'f'.repeat(64), members });
    expect(group.id).toMatch(/^[0-9a-f]{32}$/);
    expect(store.createTaskGroup({ tool: 'dispatch_parallel', members }).id).not.toBe(group.id);
    expect(env.open().taskGroup(group.id)).toEqual({ id: group.id, tool: 'dispatch_parallel', principal: 'f'.repeat(64), createdAt: clock, members });
  });

  it('has no group for an unknown id and refuses a malformed one', () => {
    expect(store.taskGroup('0'.repeat(32))).toBeUndefined();
    expect(() => store.taskGroup('../x')).toThrow(/Malformed job id/);
  });

  it('drops groups older than the retention with the jobs', () => {
    const group = store.createTaskGroup({ tool: 'dispatch_parallel', members });
    clock += 3 * 86_400_000;
    const young = store.createTaskGroup({ tool: 'dispatch_parallel', members });
    store.gc(2);
    expect(store.taskGroup(group.id)).toBeUndefined();
    expect(store.taskGroup(young.id)).toBeDefined();
  });
});
