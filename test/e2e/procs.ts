// Process-table helpers for the end-to-end tests (Linux /proc): who descends from a pid, is a pid still alive.
import { readdirSync, readFileSync } from 'node:fs';

/** One line of the process table. */
export interface ProcInfo {
  pid: number;
  ppid: number;
  pgid: number;
  cmdline: string;
}

function readProc(pid: number): ProcInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces and parentheses): state ppid pgrp ...
    const [, ppid, pgid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
    return { pid, ppid: Number(ppid), pgid: Number(pgid), cmdline };
  } catch {
    return undefined;
  }
}

// Every process now running.
export function processTable(): ProcInfo[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => readProc(Number(name)) ?? []);
}

// All descendants of `root` (children, grandchildren, ...), not `root` itself.
export function descendants(root: number, table = processTable()): ProcInfo[] {
  const out: ProcInfo[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    for (const p of table) {
      if (p.ppid === parent) {
        out.push(p);
        queue.push(p.pid);
      }
    }
  }
  return out;
}

// Alive and not a zombie (an exited process waiting to be reaped counts as gone).
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

// Poll until `probe` returns a value (not undefined), or throw after `maxMs` with `what` in the message.
export async function waitFor<T>(what: string, probe: () => T | undefined, maxMs = 30_000): Promise<T> {
  const end = Date.now() + maxMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

// The pids still alive after waiting up to `maxMs` for all of them to go.
export async function survivorsAfter(pids: number[], maxMs: number): Promise<number[]> {
  const end = Date.now() + maxMs;
  for (;;) {
    const alive = pids.filter(isAlive);
    if (alive.length === 0 || Date.now() > end) return alive;
    await sleep(25);
  }
}

// Kill whatever is left (a failed test must not leak processes into the next one).
export function killAll(pids: number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// The local workers (`agent-dispatch __worker`) whose environment names this state dir.
export function workersOf(stateDir: string): number[] {
  return processTable()
    .filter((p) => p.cmdline.includes('__worker'))
    .filter((p) => {
      try {
        return readFileSync(`/proc/${p.pid}/environ`, 'utf8').split('\0').includes(`AGENT_DISPATCH_STATE_DIR=${stateDir}`);
      } catch {
        return false;
      }
    })
    .map((p) => p.pid);
}
