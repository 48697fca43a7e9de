// Sending signals: to a whole process group, and to noted processes only while they are still the same process.
import { isSameProcess, type ProcessRef } from './identity.js';
import { procfs, type ProcReader } from './stat.js';

/** process.kill's shape, injectable for tests. */
export type KillFn = (pid: number, signal: NodeJS.Signals | 0) => void;

const nodeKill: KillFn = (pid, signal) => process.kill(pid, signal);

// Signals the whole process group led by pid. False when the group is gone (ESRCH). Falls back to the
// process alone only for other errors: after ESRCH the leader is reaped and its pid may belong to someone else.
export function signalGroup(pid: number, signal: NodeJS.Signals, kill: KillFn = nodeKill): boolean {
  try {
    kill(-pid, signal);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    try {
      kill(pid, signal);
      return true;
    } catch {
      return false;
    }
  }
}

// SIGKILL each noted process that is still the same process (same start time); a reused pid is left alone.
export function killSurvivors(refs: readonly ProcessRef[], proc: ProcReader = procfs, kill: KillFn = nodeKill): void {
  for (const ref of refs) {
    if (!isSameProcess(ref, proc)) continue;
    try {
      kill(ref.pid, 'SIGKILL');
    } catch {}
  }
}
