import { describe, expect, it } from 'vitest';
import { currentProcess, isProcessAlive, parseProcStat, readProcStat } from '../../../src/jobs/store/process.js';

const stat = (comm: string, state = 'S', start = 44883) =>
  `5814 (${comm}) ${state} 5804 5804 5240 0 -1 4194304 120 0 0 0 0 0 0 0 20 0 1 0 ${start} 3133440 413 18446744073709551615`;

describe('parseProcStat', () => {
  it.each([
    [stat('node'), { state: 'S', startedAt: 44883 }],
    [stat('my (weird) name'), { state: 'S', startedAt: 44883 }],
    [stat('a) b', 'Z', 7), { state: 'Z', startedAt: 7 }],
    ['garbage', undefined],
    ['1 (x) R 2', undefined],
  ])('parses %j', (text, expected) => {
    expect(parseProcStat(text)).toEqual(expected);
  });

  it('returns undefined when the file cannot be read', () => {
    expect(readProcStat(1, () => { throw new Error('ENOENT'); })).toBeUndefined();
  });
});

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
});
