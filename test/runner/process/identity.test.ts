import { describe, expect, it } from 'vitest';
import { currentProcess, isProcessAlive, isSameProcess, processRef } from '../../../src/runner/process/identity.js';
import { fakeProc } from './fakes.js';

describe('isProcessAlive', () => {
  const self = currentProcess();

  it('sees this process as alive with its own start time', () => {
    expect(isProcessAlive(self.pid, self.startedAt)).toBe(true);
  });

  it.runIf(self.startedAt !== undefined)('treats the same pid with another start time as a different (reused) process', () => {
    expect(isProcessAlive(self.pid, (self.startedAt as number) + 1)).toBe(false);
  });

  it.each([[0], [-1], [1.5], [2 ** 22 + 12345]])('reports pid %d as not alive', (pid) => {
    expect(isProcessAlive(pid)).toBe(false);
  });

  it.each([
    ['a zombie', 'Z', 5, false],
    ['a dead process', 'X', 5, false],
    ['a sleeping process with the recorded start', 'S', 5, true],
    ['a running process that started later (the pid was reused)', 'R', 6, false],
  ])('reports %s', (_what, state, startedAt, expected) => {
    const proc = fakeProc({ [process.pid]: [1, 1], 40: [1, startedAt, 40, state] });
    expect(isProcessAlive(40, 5, proc)).toBe(expected);
  });
});

describe('isSameProcess', () => {
  const proc = fakeProc({ 40: [1, 5] });

  it.each([
    [{ pid: 40, startedAt: 5 }, true],
    [{ pid: 40, startedAt: 6 }, false],
    [{ pid: 40 }, false],
    [{ pid: 41, startedAt: 5 }, false],
  ])('%o → %s', (ref, expected) => {
    expect(isSameProcess(ref, proc)).toBe(expected);
  });
});

describe('processRef', () => {
  it('records the start time where /proc has one, the pid alone where not', () => {
    expect(processRef(40, fakeProc({ 40: [1, 5] }))).toEqual({ pid: 40, startedAt: 5 });
    expect(processRef(40, fakeProc({}))).toEqual({ pid: 40 });
  });
});
