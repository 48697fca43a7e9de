import { describe, expect, it } from 'vitest';
import { armDeadline, createTerminator, signalGroup, type KillFn, type Timers } from '../../src/runner/terminate.js';

function fakeKill(behaviour: (pid: number, signal: NodeJS.Signals | 0) => void = () => {}) {
  const calls: [number, NodeJS.Signals | 0][] = [];
  const kill: KillFn = (pid, signal) => {
    calls.push([pid, signal]);
    behaviour(pid, signal);
  };
  return { kill, calls };
}

function fakeTimers() {
  const pending: { fn: () => void; ms: number; cleared: boolean }[] = [];
  const timers: Timers = {
    set: (fn, ms) => {
      const t = { fn, ms, cleared: false };
      pending.push(t);
      return t;
    },
    clear: (handle) => {
      (handle as { cleared: boolean }).cleared = true;
    },
  };
  const fire = () => pending.filter((t) => !t.cleared).forEach((t) => t.fn());
  return { timers, pending, fire };
}

const esrch = () => Object.assign(new Error('ESRCH'), { code: 'ESRCH' });

describe('signalGroup', () => {
  it('signals the process group', () => {
    const { kill, calls } = fakeKill();
    expect(signalGroup(42, 'SIGTERM', kill)).toBe(true);
    expect(calls).toEqual([[-42, 'SIGTERM']]);
  });

  it('reports a gone group without touching the (maybe reused) pid', () => {
    const { kill, calls } = fakeKill(() => {
      throw esrch();
    });
    expect(signalGroup(42, 'SIGTERM', kill)).toBe(false);
    expect(calls).toEqual([[-42, 'SIGTERM']]);
  });

  it('falls back to the process itself when the group cannot be signalled', () => {
    const { kill, calls } = fakeKill((pid) => {
      if (pid < 0) throw Object.assign(new Error('EPERM'), { code: 'EPERM' });
    });
    expect(signalGroup(42, 'SIGTERM', kill)).toBe(true);
    expect(calls).toEqual([[-42, 'SIGTERM'], [42, 'SIGTERM']]);
  });
});

describe('createTerminator', () => {
  it('sends SIGTERM, then SIGKILL after the grace period', () => {
    const { kill, calls } = fakeKill();
    const { timers, pending, fire } = fakeTimers();
    const t = createTerminator({ pid: 7, graceMs: 3000, kill, timers });
    t.stop('timeout');
    expect(calls).toEqual([[-7, 'SIGTERM']]);
    expect(pending.map((p) => p.ms)).toEqual([3000]);
    fire();
    expect(calls).toEqual([[-7, 'SIGTERM'], [-7, 'SIGKILL']]);
  });

  it('records the first reason only', () => {
    const { timers } = fakeTimers();
    const t = createTerminator({ pid: 7, graceMs: 10, kill: fakeKill().kill, timers });
    t.stop('timeout');
    t.stop('cancelled');
    expect(t.reason).toBe('timeout');
  });

  it('signals once however often it is asked', () => {
    const { kill, calls } = fakeKill();
    const { timers, pending } = fakeTimers();
    const t = createTerminator({ pid: 7, graceMs: 10, kill, timers });
    t.stop('cancelled');
    t.stop('timeout');
    expect(calls).toEqual([[-7, 'SIGTERM']]);
    expect(pending).toHaveLength(1);
  });

  it('finishes the group and the noted tree at once when a stopped leader exits, without waiting for the grace timer', () => {
    const { kill, calls } = fakeKill();
    const { timers } = fakeTimers();
    const killed: number[][] = [];
    const t = createTerminator({ pid: 7, graceMs: 10_000, kill, timers, tree: () => [{ pid: 8, startedAt: 1 }], killTree: (marks) => void killed.push(marks.map((m) => m.pid)) });
    t.stop('cancelled');
    t.afterExit();
    expect(calls).toEqual([[-7, 'SIGTERM'], [-7, 'SIGKILL']]);
    expect(killed).toEqual([[8]]);
    expect(t.reason).toBe('cancelled');
  });

  it('cleans up leftovers after a normal exit without recording a reason', () => {
    const { kill, calls } = fakeKill();
    const { timers, fire } = fakeTimers();
    const t = createTerminator({ pid: 7, graceMs: 10, kill, timers });
    t.afterExit();
    fire();
    expect(calls).toEqual([[-7, 'SIGTERM'], [-7, 'SIGKILL']]);
    expect(t.reason).toBeUndefined();
  });

  it('schedules no SIGKILL when the group is already gone', () => {
    const { timers, pending } = fakeTimers();
    const t = createTerminator({ pid: 7, graceMs: 10, kill: fakeKill(() => { throw esrch(); }).kill, timers });
    t.afterExit();
    expect(pending).toHaveLength(0);
  });
});

describe('armDeadline', () => {
  it('reports a timeout when the timer fires', () => {
    const { timers, pending, fire } = fakeTimers();
    const reasons: string[] = [];
    armDeadline({ timeoutMs: 500, onStop: (r) => reasons.push(r) }, timers);
    expect(pending[0]?.ms).toBe(500);
    fire();
    expect(reasons).toEqual(['timeout']);
  });

  it('reports a cancel when the signal aborts', () => {
    const controller = new AbortController();
    const reasons: string[] = [];
    armDeadline({ signal: controller.signal, onStop: (r) => reasons.push(r) }, fakeTimers().timers);
    controller.abort();
    expect(reasons).toEqual(['cancelled']);
  });

  it('reports a signal that was aborted before arming', async () => {
    const reasons: string[] = [];
    armDeadline({ signal: AbortSignal.abort(), onStop: (r) => reasons.push(r) }, fakeTimers().timers);
    await Promise.resolve();
    expect(reasons).toEqual(['cancelled']);
  });

  it('stops listening once disarmed', () => {
    const controller = new AbortController();
    const { timers, pending } = fakeTimers();
    const reasons: string[] = [];
    const disarm = armDeadline({ timeoutMs: 5, signal: controller.signal, onStop: (r) => reasons.push(r) }, timers);
    disarm();
    controller.abort();
    expect(pending[0]?.cleared).toBe(true);
    expect(reasons).toEqual([]);
  });
});
