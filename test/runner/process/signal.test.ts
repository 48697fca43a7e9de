import { describe, expect, it } from 'vitest';
import { killSurvivors, signalGroup } from '../../../src/runner/process/signal.js';
import { esrch, fakeKill, fakeProc } from './fakes.js';

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

describe('killSurvivors', () => {
  it('kills only processes whose start time still matches', () => {
    const { kill, calls } = fakeKill();
    const proc = fakeProc({ 11: [10, 110], 12: [10, 999] });
    killSurvivors([{ pid: 11, startedAt: 110 }, { pid: 12, startedAt: 120 }, { pid: 13, startedAt: 130 }, { pid: 11 }], proc, kill);
    expect(calls).toEqual([[11, 'SIGKILL']]);
  });
});
