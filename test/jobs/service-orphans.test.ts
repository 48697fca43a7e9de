// Stopping an agent left running by a dead owner: only a job failed for that reason, and only if the pid is still
// a process group leader that started while the job ran (pids are reused).
import { describe, expect, it } from 'vitest';
import { lostOwner, processFacts, stopOrphanedAgent, type OrphanProbe } from '../../src/jobs/orphans.js';
import type { JobRecord } from '../../src/jobs/types.js';

const BOOT = 1_700_000_000_000;
const STARTED = BOOT + 3_600_000; // the job started one hour after boot

// /proc/<pid>/stat text: name with a space and a parenthesis, state, ppid 1, pgrp, then start time in ticks.
function stat(pid: number, state: string, pgid: number, startMs: number): string {
  const rest = Array.from({ length: 13 }, () => '0').join(' ');
  return `${pid} (node (x) y) ${state} 1 ${pgid} ${pgid} 0 -1 ${rest} ${Math.round((startMs - BOOT) / 10)} 0 0`;
}

function probe(stats: Record<number, string>): OrphanProbe & { sent: [number, string | number][] } {
  const sent: [number, string | number][] = [];
  return { sent, readStat: (pid) => stats[pid], bootTimeMs: () => BOOT, kill: (pid, signal) => void sent.push([pid, signal]) };
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

  it('reads state, process group and start time from /proc/<pid>/stat', () => {
    expect(processFacts(4242, probe({ 4242: stat(4242, 'S', 4242, STARTED + 200) }))).toEqual({ state: 'S', pgid: 4242, startedAtMs: STARTED + 200 });
    expect(processFacts(1, probe({}))).toBeUndefined();
  });

  it('stops the process group of the agent of a job whose owner died', () => {
    const p = probe({ 4242: stat(4242, 'S', 4242, STARTED + 200) });
    expect(stopOrphanedAgent(job(), p)).toBe(true);
    expect(p.sent).toEqual([[-4242, 'SIGTERM']]);
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
