import { describe, expect, it } from 'vitest';
import { createGroupStop } from '../../../src/runner/process/stop.js';
import { esrch, fakeKill, fakeProc, fakeTimers } from './fakes.js';

// Leader 7 with a tool 8 in a group of its own; 9 is a sibling of the leader.
const proc = fakeProc({ 7: [1, 70], 8: [7, 80, 8], 9: [1, 90] });

describe('createGroupStop', () => {
  it('sends SIGTERM, then SIGKILL to the group and its noted tree after the grace period', () => {
    const { kill, calls } = fakeKill();
    const { timers, pending, fire } = fakeTimers();
    const group = createGroupStop({ pgid: 7, graceMs: 3000, kill, timers, proc });
    expect(group.stop('timeout')).toBe(true);
    expect(calls).toEqual([[-7, 'SIGTERM']]);
    expect(pending.map((p) => p.ms)).toEqual([3000]);
    fire();
    expect(calls).toEqual([[-7, 'SIGTERM'], [-7, 'SIGKILL'], [8, 'SIGKILL']]);
  });

  it('records the first reason only', () => {
    const group = createGroupStop({ pgid: 7, graceMs: 10, kill: fakeKill().kill, timers: fakeTimers().timers, proc });
    group.stop('timeout');
    group.stop('cancelled');
    expect(group.reason).toBe('timeout');
  });

  it('signals once however often it is asked', () => {
    const { kill, calls } = fakeKill();
    const { timers, pending } = fakeTimers();
    const group = createGroupStop({ pgid: 7, graceMs: 10, kill, timers, proc });
    group.stop('cancelled');
    group.stop('timeout');
    expect(calls).toEqual([[-7, 'SIGTERM']]);
    expect(pending).toHaveLength(1);
  });

  it('brings the SIGKILL forward when a later stop asks for a shorter grace, never back', () => {
    const { timers, pending } = fakeTimers();
    const group = createGroupStop({ pgid: 7, graceMs: 3000, kill: fakeKill().kill, timers, proc });
    group.stop('timeout');
    group.stop('cancelled', { graceMs: 250 });
    group.stop('cancelled', { graceMs: 10_000 });
    expect(pending.map((p) => [p.ms, p.cleared])).toEqual([[3000, true], [250, false]]);
    expect(group.reason).toBe('timeout');
  });

  it('finishes the group and the noted tree at once when a stopped leader exits, without waiting for the grace timer', () => {
    const { kill, calls } = fakeKill();
    const { timers, pending } = fakeTimers();
    const group = createGroupStop({ pgid: 7, graceMs: 10_000, kill, timers, proc });
    group.stop('cancelled');
    group.afterExit();
    expect(calls).toEqual([[-7, 'SIGTERM'], [-7, 'SIGKILL'], [8, 'SIGKILL']]);
    expect(pending[0]?.cleared).toBe(true);
    expect(group.reason).toBe('cancelled');
  });

  it('cleans up leftovers after a normal exit without reading /proc or recording a reason', () => {
    const { kill, calls } = fakeKill();
    const { timers, fire } = fakeTimers();
    const group = createGroupStop({ pgid: 7, graceMs: 10, kill, timers, proc: { ...proc, pids: () => { throw new Error('read /proc'); } } });
    group.afterExit();
    fire();
    expect(calls).toEqual([[-7, 'SIGTERM'], [-7, 'SIGKILL']]);
    expect(group.reason).toBeUndefined();
  });

  it('schedules no SIGKILL and reports false when the group is already gone', () => {
    const { timers, pending } = fakeTimers();
    const kill = fakeKill(() => {
      throw esrch();
    }).kill;
    expect(createGroupStop({ pgid: 7, graceMs: 10, kill, timers, proc }).stop('cancelled')).toBe(false);
    const exited = createGroupStop({ pgid: 7, graceMs: 10, kill, timers, proc });
    exited.afterExit();
    expect(pending).toHaveLength(0);
  });
});
