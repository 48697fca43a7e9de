import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { descendantsOf, killMarked, parseStat, type ProcReader } from '../../src/runner/tree.js';

function fakeProc(table: Record<number, [number, number]>): ProcReader {
  return { pids: () => Object.keys(table).map(Number), stat: (pid) => table[pid] };
}

describe('parseStat', () => {
  it.each([
    ['42 (node) S 7 42 42 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 12345 1000 10', [7, 12345]],
    ['9 (a) b (c) R 1 9 9 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 777 1 1', [1, 777]],
    ['garbage', undefined],
  ])('reads the parent and start time from %j', (text, expected) => {
    expect(parseStat(text)).toEqual(expected);
  });
});

describe('descendantsOf', () => {
  it('finds children and grandchildren, not siblings', () => {
    const proc = fakeProc({ 10: [1, 100], 11: [10, 110], 12: [11, 120], 13: [1, 130], 14: [10, 140] });
    expect(descendantsOf(10, proc).map((m) => m.pid).sort()).toEqual([11, 12, 14]);
  });
});

describe('killMarked', () => {
  it('kills only processes whose start time still matches', () => {
    const killed: number[] = [];
    const proc = fakeProc({ 11: [10, 110], 12: [10, 999] });
    killMarked([{ pid: 11, startedAt: 110 }, { pid: 12, startedAt: 120 }, { pid: 13, startedAt: 130 }], proc, (pid) => void killed.push(pid));
    expect(killed).toEqual([11]);
  });

  it('kills a real grandchild that sits in a process group of its own', async () => {
    // parent (own group) → child that starts a detached grandchild, like Claude Code's Bash tool.
    const parent = spawn(process.execPath, ['-e', `
      const { spawn } = require('node:child_process');
      const g = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { detached: true, stdio: 'ignore' });
      console.log(g.pid);
      setInterval(() => {}, 1000);
    `], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
    const grandchild = Number(await new Promise<string>((resolve) => parent.stdout!.once('data', (d) => resolve(String(d).trim()))));
    const marks = descendantsOf(parent.pid!);
    expect(marks.map((m) => m.pid)).toContain(grandchild);
    process.kill(-parent.pid!, 'SIGKILL');
    killMarked(marks);
    await new Promise((r) => setTimeout(r, 200));
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
      } catch {
        return false;
      }
    };
    expect(alive(grandchild)).toBe(false);
  });
});
