// Reads never act: dispatch_status, dispatch_wait and dispatch_jobs only read, even for a job whose owner died
// and whose agent still runs. The sweep (at start, then on a timer) fails such a job and stops its agent.
import { afterEach, describe, expect, it } from 'vitest';
import type { OrphanProbe } from '../../src/jobs/orphans.js';
import { createRig, fakeRunner, type Rig } from './service-harness.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.cleanup();
  rig = undefined;
});

const DEAD = { pid: 424242, startedAt: 1 };
const AGENT = 4343;

// /proc as seen for the orphaned agent: a group leader that started while its job ran.
function probe(bootMs: number, agentStartMs: number): OrphanProbe & { sent: [number, string | number][] } {
  const sent: [number, string | number][] = [];
  const stat = { pid: AGENT, state: 'S', ppid: 1, pgid: AGENT, startedAt: Math.round((agentStartMs - bootMs) / 10) };
  return {
    sent,
    proc: { pids: () => [AGENT], stat: (pid) => (pid === AGENT ? stat : undefined), bootTimeMs: () => bootMs },
    kill: (pid, signal) => void sent.push([pid, signal]),
  };
}

describe('the sweep', () => {
  it('leaves a job of a dead owner alone on status, wait and jobs, and fails it and stops its agent when it runs', async () => {
    rig = createRig({ runner: fakeRunner() });
    const job = rig.store.create({ kind: 'async', request: { agent: 'api', task: 'x' }, owner: DEAD });
    rig.store.markRunning(job.id, { owner: DEAD, childPid: AGENT });
    const p = probe(Date.now() - 3_600_000, Date.now());
    const service = rig.openService({ orphanProbe: p, sweepIntervalMs: 0, store: rig.openStore() });
    // The job existed before the service: the sweep that runs when a service starts failed it and stopped its agent.
    expect(rig.store.get(job.id).status).toBe('failed');
    expect(p.sent).toEqual([[-AGENT, 'SIGTERM']]);

    // One that appears while the service runs: reads leave it (and its agent) as they are.
    const later = rig.store.create({ kind: 'async', request: { agent: 'api', task: 'y' }, owner: DEAD });
    rig.store.markRunning(later.id, { owner: DEAD, childPid: AGENT });
    p.sent.length = 0;
    const seq = rig.store.currentSeq();
    expect(service.status(later.id).status).toBe('running');
    expect(await service.wait(later.id, 20)).toMatchObject({ timedOut: true, job: { status: 'running' } });
    expect(service.jobs({ limit: 10 }).find((j) => j.id === later.id)?.status).toBe('running');
    expect(rig.store.currentSeq()).toBe(seq);
    expect(p.sent).toEqual([]);

    expect(service.sweep()).toBe(1);
    expect(service.status(later.id)).toMatchObject({ status: 'failed', failureReason: expect.stringMatching(/^owner process 424242 exited/) });
    expect(p.sent).toEqual([[-AGENT, 'SIGTERM']]);
  });

  it('sweeps on its timer, which ends a wait on a job whose owner died', async () => {
    rig = createRig({ runner: fakeRunner() });
    const service = rig.openService({ sweepIntervalMs: 30, orphanProbe: probe(0, 0) });
    const job = rig.store.create({ kind: 'async', request: { agent: 'api', task: 'x' }, owner: DEAD });
    expect(await service.wait(job.id, 5_000)).toMatchObject({ timedOut: false, job: { status: 'failed' } });
  });
});
