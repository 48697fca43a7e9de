// Is the process that owns a job (or holds a lease) still the same live process? A pid alone is not enough:
// pids are reused, so Linux's start time (/proc/<pid>/stat field 22, clock ticks since boot) is compared too.
import { readFileSync } from 'node:fs';

/** A process identity that survives pid reuse. `startedAt` is absent where /proc is not available. */
export interface ProcessRef {
  pid: number;
  startedAt?: number;
}

/** Decides whether `pid` is still the process that started at `startedAt`. Injected in tests. */
export type IsAlive = (pid: number, startedAt?: number) => boolean;

/** The parts of /proc/<pid>/stat we use. */
export interface ProcStat {
  state: string;
  startedAt: number;
}

// Parse /proc/<pid>/stat. The command name (field 2) may hold spaces and parentheses, so split after the last ')'.
export function parseProcStat(text: string): ProcStat | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  const fields = text.slice(close + 1).trim().split(/\s+/);
  // fields[0] is field 3 (state); field 22 (starttime) is therefore fields[19].
  const state = fields[0];
  const startedAt = Number(fields[19]);
  if (!state || !Number.isSafeInteger(startedAt)) return undefined;
  return { state, startedAt };
}

// Read /proc/<pid>/stat; undefined when the process does not exist or /proc is unavailable.
export function readProcStat(pid: number, read: (path: string) => string = (p) => readFileSync(p, 'utf8')): ProcStat | undefined {
  try {
    return parseProcStat(read(`/proc/${pid}/stat`));
  } catch {
    return undefined;
  }
}

// True when /proc exposes process start times (Linux); elsewhere only the pid can be checked.
export function hasProcfs(read?: (path: string) => string): boolean {
  return readProcStat(process.pid, read) !== undefined;
}

// The default liveness check: the pid exists, is not a zombie, and (on Linux) started when we recorded.
export function isProcessAlive(pid: number, startedAt?: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  const stat = readProcStat(pid);
  if (stat) {
    // A zombie has exited; it only waits for its parent to reap it.
    if (stat.state === 'Z' || stat.state === 'X') return false;
    return startedAt === undefined || startedAt === null || stat.startedAt === startedAt;
  }
  if (hasProcfs()) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the pid exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// This process, as recorded in job and lease rows.
export function currentProcess(): ProcessRef {
  const stat = readProcStat(process.pid);
  return stat ? { pid: process.pid, startedAt: stat.startedAt } : { pid: process.pid };
}

// The identity of another process (e.g. a freshly spawned supervisor), when it can be read.
export function processRef(pid: number): ProcessRef {
  const stat = readProcStat(pid);
  return stat ? { pid, startedAt: stat.startedAt } : { pid };
}
