import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { descendantsOf, snapshotTree } from '../../../src/runner/process/descendants.js';
import { killTree } from '../../../src/runner/process/stop.js';
import { fakeProc } from './fakes.js';

describe('descendantsOf', () => {
  it('finds children and grandchildren, not siblings', () => {
    const proc = fakeProc({ 10: [1, 100], 11: [10, 110], 12: [11, 120], 13: [1, 130], 14: [10, 140] });
    expect(descendantsOf(10, proc).map((m) => m.pid).sort()).toEqual([11, 12, 14]);
  });

  it('notes each descendant with its start time', () => {
    expect(snapshotTree(10, fakeProc({ 10: [1, 100], 11: [10, 110] }))).toEqual({ leader: 10, members: [{ pid: 11, startedAt: 110 }] });
  });
});

describe('snapshotTree and killTree on real processes', () => {
  it('kill a real grandchild that sits in a process group of its own', async () => {
    // parent (own group) → child that starts a detached grandchild, like Claude Code's Bash tool.
    const parent = spawn(process.execPath, ['-e', `
      const { spawn } = require('node:child_process');
      const g = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { detached: true, stdio: 'ignore' });
      console.log(g.pid);
      setInterval(() => {}, 1000);
    `], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
    const grandchild = Number(await new Promise<string>((resolve) => parent.stdout!.once('data', (d) => resolve(String(d).trim()))));
    const snapshot = snapshotTree(parent.pid!);
    expect(snapshot.members.map((m) => m.pid)).toContain(grandchild);
    killTree(snapshot);
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
    expect(alive(parent.pid!)).toBe(false);
  });
});
