// Stand-ins for /proc, process.kill and timers, for the process module's tests.
import type { ProcReader, Timers } from '../../../src/runner/process/index.js';

// A process table in memory: pid → [ppid, startedAt, pgid (default: pid), state (default: S)].
export function fakeProc(table: Record<number, [number, number, number?, string?]>, bootTimeMs?: number): ProcReader {
  return {
    pids: () => Object.keys(table).map(Number),
    stat: (pid) => {
      const row = table[pid];
      return row ? { pid, ppid: row[0], startedAt: row[1], pgid: row[2] ?? pid, state: row[3] ?? 'S' } : undefined;
    },
    bootTimeMs: () => bootTimeMs,
  };
}

/** A fake process.kill that records its calls; `behaviour` may throw. */
export function fakeKill(behaviour: (pid: number, signal: NodeJS.Signals | 0) => void = () => {}) {
  const calls: [number, NodeJS.Signals | 0][] = [];
  const kill = (pid: number, signal: NodeJS.Signals | 0) => {
    calls.push([pid, signal]);
    behaviour(pid, signal);
  };
  return { kill, calls };
}

export const esrch = () => Object.assign(new Error('ESRCH'), { code: 'ESRCH' });

/** Timers that fire only when told to. */
export function fakeTimers() {
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
