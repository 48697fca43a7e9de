// Shared bits for the runner's process tests: fixture paths, temp dirs, and "is this pid really gone".
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ResolvedAgent } from '../../src/shared/types.js';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'bin');
export const fixture = (name: string) => join(FIXTURES, `${name}.mjs`);

// A temp directory removed by the returned cleanup.
export function tempDir(prefix = 'ad-runner-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function agentIn(directory: string, patch: Partial<ResolvedAgent> = {}): ResolvedAgent {
  return { name: 'fixture', directory, description: '', runtime: 'claude', timeout: 30, ...patch };
}

// Alive and not a zombie (an exited process waiting for init to reap it counts as gone).
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

// Waits until none of the pids is alive; returns the survivors after maxMs (empty when all are gone).
export async function survivorsAfter(pids: number[], maxMs: number): Promise<number[]> {
  const end = Date.now() + maxMs;
  for (;;) {
    const alive = pids.filter(isAlive);
    if (alive.length === 0 || Date.now() > end) return alive;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export function readPids(file: string): number[] {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

// Kills leftovers so a failing test leaves no process behind.
export function killAll(pids: number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {}
  }
}
