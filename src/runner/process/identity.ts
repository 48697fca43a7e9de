// Is this still the same process? A pid alone is not enough: pids are reused, so the start time from
// /proc/<pid>/stat is compared too. Job and lease rows record processes this way; stops check it before a SIGKILL.
import { procfs, type ProcReader } from './stat.js';

/** A process identity that survives pid reuse. `startedAt` (clock ticks since boot) is absent where /proc is not available. */
export interface ProcessRef {
  pid: number;
  startedAt?: number;
}

/** Decides whether `pid` is still the process that started at `startedAt`. Injected in tests. */
export type IsAlive = (pid: number, startedAt?: number) => boolean;

// True when /proc exposes process start times (Linux); elsewhere only the pid can be checked.
function hasProcfs(proc: ProcReader = procfs): boolean {
  return proc.stat(process.pid) !== undefined;
}

// The liveness check: the pid exists, is not a zombie, and (on Linux) started when recorded.
export function isProcessAlive(pid: number, startedAt?: number, proc: ProcReader = procfs): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  const stat = proc.stat(pid);
  if (stat) {
    // A zombie has exited; it only waits for its parent to reap it.
    if (stat.state === 'Z' || stat.state === 'X') return false;
    return startedAt === undefined || startedAt === null || stat.startedAt === startedAt;
  }
  if (hasProcfs(proc)) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the pid exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// True only when the process is provably the one recorded: a start time to compare is required (a SIGKILL on
// a pid alone could hit a stranger that got the pid).
export function isSameProcess(ref: ProcessRef, proc: ProcReader = procfs): boolean {
  return ref.startedAt !== undefined && proc.stat(ref.pid)?.startedAt === ref.startedAt;
}

// The identity of a process (this one by default), with its start time when it can be read.
export function processRef(pid: number = process.pid, proc: ProcReader = procfs): ProcessRef {
  const stat = proc.stat(pid);
  return stat ? { pid, startedAt: stat.startedAt } : { pid };
}

// This process, as recorded in job and lease rows.
export function currentProcess(): ProcessRef {
  return processRef(process.pid);
}
