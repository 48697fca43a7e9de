import { describe, expect, it } from 'vitest';
import { parseStat, procReader, startedAtMs } from '../../../src/runner/process/stat.js';

const stat = (comm: string, state = 'S', start = 44883) =>
  `5814 (${comm}) ${state} 5804 5790 5240 0 -1 4194304 120 0 0 0 0 0 0 0 20 0 1 0 ${start} 3133440 413 18446744073709551615`;

describe('parseStat', () => {
  it.each([
    [stat('node'), { pid: 5814, state: 'S', ppid: 5804, pgid: 5790, startedAt: 44883 }],
    [stat('my (weird) name'), { pid: 5814, state: 'S', ppid: 5804, pgid: 5790, startedAt: 44883 }],
    [stat('a) b', 'Z', 7), { pid: 5814, state: 'Z', ppid: 5804, pgid: 5790, startedAt: 7 }],
    ['garbage', undefined],
    ['1 (x) R 2', undefined],
  ])('parses %j', (text, expected) => {
    expect(parseStat(text)).toEqual(expected);
  });
});

describe('procReader', () => {
  const files: Record<string, string> = { '/proc/5814/stat': stat('node'), '/proc/stat': 'cpu 1 2 3\nbtime 1700000000\nprocesses 9\n' };
  const proc = procReader((path) => files[path], () => ['1', 'self', '5814', 'net']);

  it('lists numeric entries only', () => {
    expect(proc.pids()).toEqual([1, 5814]);
  });

  it('reads a stat, and nothing for a pid that is gone', () => {
    expect(proc.stat(5814)?.startedAt).toBe(44883);
    expect(proc.stat(1)).toBeUndefined();
  });

  it('reads the boot time and turns clock ticks into wall-clock time', () => {
    expect(proc.bootTimeMs()).toBe(1_700_000_000_000);
    expect(startedAtMs({ startedAt: 250 }, 1_700_000_000_000)).toBe(1_700_000_002_500);
  });

  it('lists nothing where /proc cannot be read', () => {
    expect(procReader(() => undefined, () => { throw new Error('ENOENT'); }).pids()).toEqual([]);
  });
});
