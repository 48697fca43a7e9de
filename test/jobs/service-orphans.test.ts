// Stopping an agent left running by a dead owner: only a job failed for that reason, and only if the pid is still
// a process group leader that started while the job ran (pids are reused).
import { describe, expect, it } from 'vitest';
import { isJobAgent, lostOwner, stopOrphanedAgent, type OrphanProbe } from '../../src/jobs/orphans.js';
import { procReader } from '../../src/runner/process/stat.js';
import { fakeTimers } from '../runner/process/fakes.js';
import type { JobRecord } from '../../src/jobs/types.js';

const BOOT = 1_700_000_000_000;
const STARTED = BOOT + 3_600_000; // the job started one hour after boot

// /proc/<pid>/stat text: name with a space and a parenthesis, state, ppid, pgrp, then start time in ticks.
function stat(pid: number, state: string, pgid: number, startMs: number, ppid = 1): string {
  const rest = Array.from({ length: 13 }, () => '0').join(' ');
  return `${pid} (node (x) y) ${state} ${ppid} ${pgid} ${pgid} 0 -1 ${rest} ${Math.round((startMs - BOOT) / 10)} 0 0`;
}

// A /proc holding these stat texts, a kill that records, timers that fire when told.
function probe(stats: Record<number, string>) {
  const sent: [number, string | number][] = [];
  const files = new Map(Object.entries(stats).map(([pid, text]) => [`/proc/${pid}/stat`, text]));
  files.set('/proc/stat', `cpu 0\nbtime ${BOOT / 1000}\n`);
  const { timers, fire } = fakeTimers();
  const deps: OrphanProbe = { proc: procReader((path) => files.get(path), () => Object.keys(stats)), kill: (pid, signal) => void sent.push([pid, signal]), timers };
  return { ...deps, sent, fire };
}

const job = (over: Partial<JobRecord> = {}): JobRecord => ({
  id: 'a'.repeat(32),
  kind: 'async',
  status: 'failed',
  agent: 'api',
  caller: '',
  request: { agent: 'api', task: 't' },
  createdAt: STARTED - 1000,
  startedAt: STARTED,
  endedAt: STARTED + 60_000,
  childPid: 4242,
  cancelRequested: false,
  progress: { turns: 0, tail: [], updatedAt: STARTED },
  failureReason: 'owner process 99 exited while the job was running; the agent\'s result was lost',
  ...over,
});

describe('orphaned agents', () => {
  it.each([
    [{}, true],
    [{ status: 'done' as const }, false],
    [{ failureReason: 'cancelled before it started' }, false],
    [{ failureReason: undefined }, false],
  ])('tells a job that lost its owner (%o → %s)', (over, expected) => {
    expect(lostOwner(job(over))).toBe(expected);
  });

  it('knows the agent by its process group and a start time within the job', () => {
    expect(isJobAgent(job(), 4242, probe({ 4242: stat(4242, 'S', 4242, STARTED + 200) }))).toBe(true);
    expect(isJobAgent(job(), 1, probe({}))).toBe(false);
  });

  it('stops the process group of the agent of a job whose owner died, then kills it and its tools', () => {
    // 4300: a Bash tool of the agent in a process group of its own.
    const p = probe({ 4242: stat(4242, 'S', 4242, STARTED + 200), 4300: stat(4300, 'S', 4300, STARTED + 900, 4242) });
    expect(stopOrphanedAgent(job(), p)).toBe(true);
    expect(p.sent).toEqual([[-4242, 'SIGTERM']]);
    p.fire();
    expect(p.sent).toEqual([[-4242, 'SIGTERM'], [-4242, 'SIGKILL'], [4300, 'SIGKILL']]);
  });

  it.each([
    ['the job ended another way', job({ status: 'cancelled', failureReason: undefined }), stat(4242, 'S', 4242, STARTED + 200)],
    ['the pid is gone', job(), undefined],
    ['the pid is a zombie', job(), stat(4242, 'Z', 4242, STARTED + 200)],
    ['the pid leads no process group (reused)', job(), stat(4242, 'S', 17, STARTED + 200)],
    ['the pid started after the job ended (reused)', job(), stat(4242, 'S', 4242, STARTED + 3_600_000)],
    ['the pid started long before the job (reused)', job(), stat(4242, 'S', 4242, STARTED - 600_000)],
    ['no agent was ever spawned', job({ childPid: undefined }), stat(4242, 'S', 4242, STARTED + 200)],
  ])('leaves the pid alone when %s', (_why, record, text) => {
    const p = probe(text === undefined ? {} : { 4242: text });
    expect(stopOrphanedAgent(record, p)).toBe(false);
    expect(p.sent).toEqual([]);
  });
});
