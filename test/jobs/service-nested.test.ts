// Dispatches made from inside a dispatched agent (AGENT_DISPATCH_DEPTH > 0) share their parent job's one slot:
// they queue behind each other, one agent at a time per parent, and never wait for the slot the parent holds.
import { afterEach, describe, expect, it } from 'vitest';
import type { RunOptions } from '../../src/shared/types.js';
import { createRig, fakeRunner, type Rig } from './service-harness.js';
import { runResult } from './support/store.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.cleanup();
  rig = undefined;
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// A runner that counts the agents running at once, per task prefix.
function countingRunner() {
  const running = new Map<string, number>();
  const peak = new Map<string, number>();
  const runner = fakeRunner(async (request) => {
    const who = request.task.split(' ')[0] as string;
    running.set(who, (running.get(who) ?? 0) + 1);
    peak.set(who, Math.max(peak.get(who) ?? 0, running.get(who) as number));
    await sleep(15);
    running.set(who, (running.get(who) ?? 1) - 1);
    return runResult({ agent: request.agent.name });
  });
  return { runner, peak };
}

describe('nested dispatches', () => {
  it('runs 12 concurrent nested calls of one parent one at a time under a limit of 2', async () => {
    const { runner, peak } = countingRunner();
    rig = createRig({ runner, settings: { max_concurrency: 2 } });
    const parent = rig.store.create({ kind: 'sync', request: { agent: 'api', task: 'parent' } });
    // The server inside the parent's agent: nested, knowing its parent's job.
    const nested = rig.openService({ nested: true, parentJobId: parent.id });
    const outcomes = await Promise.all(Array.from({ length: 12 }, (_, i) => nested.dispatch({ agent: 'web', task: `child ${i}` })));
    expect(outcomes.every((o) => o.result.ok)).toBe(true);
    expect(peak.get('child')).toBe(1);
    expect(rig.store.leaseState()).toEqual({ held: [], waiting: [] });
  });

  it('lets the nested calls of two parents run side by side, each parent one at a time', async () => {
    const { runner, peak } = countingRunner();
    rig = createRig({ runner, settings: { max_concurrency: 1 } });
    const [a, b] = [0, 1].map(() => rig!.store.create({ kind: 'sync', request: { agent: 'api', task: 'parent' } }));
    const underA = rig.openService({ nested: true, parentJobId: a!.id });
    const underB = rig.openService({ nested: true, parentJobId: b!.id });
    await Promise.all([
      ...Array.from({ length: 4 }, (_, i) => underA.dispatch({ agent: 'web', task: `a ${i}` })),
      ...Array.from({ length: 4 }, (_, i) => underB.dispatch({ agent: 'web', task: `b ${i}` })),
      // The global limit (1) is not theirs: a top-level dispatch runs beside them.
      rig.service.dispatch({ agent: 'api', task: 'top' }),
    ]);
    expect([peak.get('a'), peak.get('b'), peak.get('top')]).toEqual([1, 1, 1]);
  });

  it('queues the nested calls of one process together when the parent job is unknown', async () => {
    const { runner, peak } = countingRunner();
    rig = createRig({ runner, settings: { max_concurrency: 3 } });
    const nested = rig.openService({ nested: true });
    await Promise.all(Array.from({ length: 5 }, (_, i) => nested.dispatch({ agent: 'web', task: `child ${i}` })));
    expect(peak.get('child')).toBe(1);
  });

  it('tells the runner the job id, which it passes to the agent as AGENT_DISPATCH_JOB', async () => {
    const seen: RunOptions[] = [];
    rig = createRig({ runner: fakeRunner((r, options) => (seen.push(options), runResult({ agent: r.agent.name }))) });
    const { jobId } = await rig.service.dispatch({ agent: 'api', task: 'x' });
    expect(seen[0]?.jobId).toBe(jobId);
  });
});
