// Stopping a process tree: deadline and AbortSignal → SIGTERM to the process group → grace period → SIGKILL.
// The child is spawned detached (its own group, pgid = pid), so tools and background processes the agent
// started go down with it. Every timer is unref'd: a pending kill never keeps our process alive.
import type { StopReason } from './adapter.js';
import type { ProcessMark } from './tree.js';

/** process.kill's shape, injectable for tests. */
export type KillFn = (pid: number, signal: NodeJS.Signals | 0) => void;

/** Timer functions, injectable for tests. */
export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const nodeTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms).unref(),
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

// Signals the whole process group led by pid. False when the group is gone (ESRCH). Falls back to the
// process alone only for other errors: after ESRCH the leader is reaped and its pid may belong to someone else.
export function signalGroup(pid: number, signal: NodeJS.Signals, kill: KillFn = process.kill.bind(process)): boolean {
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

/** Ends one process group, recording why once. */
export interface Terminator {
  /** The first reason given to stop(); later calls do not change it (a timeout that needed SIGKILL stays a timeout). */
  readonly reason: StopReason | undefined;
  // SIGTERM to the group now, SIGKILL after the grace period.
  stop(reason: StopReason): void;
  // The leader exited on its own: leftovers in its group (background jobs, a grandchild holding our pipe) get the same treatment.
  afterExit(): void;
}

// Creates the terminator for a spawned group leader.
export function createTerminator(options: {
  pid: number;
  graceMs: number;
  kill?: KillFn;
  timers?: Timers;
  /** Snapshot of the leader's descendants, taken at SIGTERM (default: none). */
  tree?: () => ProcessMark[];
  /** SIGKILLs that snapshot's survivors at the end of the grace period. */
  killTree?: (marks: ProcessMark[]) => void;
}): Terminator {
  const { pid, graceMs } = options;
  const kill = options.kill ?? process.kill.bind(process);
  const timers = options.timers ?? nodeTimers;
  let reason: StopReason | undefined;
  let signalled = false;

  let tree: ProcessMark[] = [];
  let stopped = false;
  const finalBlow = () => {
    signalGroup(pid, 'SIGKILL', kill);
    options.killTree?.(tree);
  };
  const terminate = (leaderAlive: boolean) => {
    if (signalled) return;
    signalled = true;
    // Note the tree first: tools in process groups of their own are orphaned once the leader dies. (After the
    // leader exited on its own they are orphaned already, and reading /proc would cost every run a millisecond.)
    tree = leaderAlive && options.tree ? options.tree() : [];
    if (!signalGroup(pid, 'SIGTERM', kill)) return;
    timers.set(finalBlow, graceMs);
  };

  return {
    get reason() {
      return reason;
    },
    stop(next) {
      reason ??= next;
      stopped = true;
      terminate(true);
    },
    afterExit() {
      // We stopped it and it is gone: finish the rest of its tree now. The grace timer is unref'd, and the process
      // that waits for this run (a job supervisor, `test`) may exit before it fires.
      if (stopped) return finalBlow();
      terminate(false);
    },
  };
}

// Arms the timeout and the abort signal; onStop gets 'timeout' or 'cancelled'. Returns a disarm function.
export function armDeadline(
  options: { timeoutMs?: number; signal?: AbortSignal; onStop: (reason: StopReason) => void },
  timers: Timers = nodeTimers,
): () => void {
  const { timeoutMs, signal, onStop } = options;
  const handle = timeoutMs !== undefined && Number.isFinite(timeoutMs) ? timers.set(() => onStop('timeout'), Math.max(0, timeoutMs)) : undefined;
  const onAbort = () => onStop('cancelled');
  if (signal?.aborted) queueMicrotask(onAbort);
  else signal?.addEventListener('abort', onAbort, { once: true });
  return () => {
    if (handle !== undefined) timers.clear(handle);
    signal?.removeEventListener('abort', onAbort);
  };
}
