// Stopping a process group: note its tree → SIGTERM to the group → grace period → SIGKILL to the group and to
// the noted processes that are still the same process. Every stop in the project goes through here: the
// runner's timeout, cancel and linger, the job store's orphaned agents, and the shutdown pass (snapshotTree +
// killTree, because it cannot wait a full grace period). Timers are unref'd: a pending kill never keeps us alive.
import { snapshotTree, type TreeSnapshot } from './descendants.js';
import { killSurvivors, signalGroup, type KillFn } from './signal.js';
import { procfs, type ProcReader } from './stat.js';

/** Timer functions, injectable for tests. */
export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

/** What a stop reads and signals (tests inject all three). */
export interface ProcessDeps {
  proc?: ProcReader;
  kill?: KillFn;
  timers?: Timers;
}

/** How one stop() call ends the group. */
export interface StopOptions {
  /** Time between SIGTERM and SIGKILL; a later stop with a shorter grace brings the SIGKILL forward. */
  graceMs?: number;
}

/** A process group we may stop, recording why once. */
export interface GroupStop<R extends string = string> {
  /** The first reason given to stop(); later calls do not change it (a timeout that needed SIGKILL stays a timeout). */
  readonly reason: R | undefined;
  // SIGTERM to the group now, SIGKILL after the grace period. False when the group was already gone.
  stop(reason: R, options?: StopOptions): boolean;
  // The leader exited: after our stop, finish its tree now; on its own, leftovers in its group get the same treatment.
  afterExit(): void;
}

export const nodeTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms).unref(),
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

// SIGKILL a noted tree: its whole group, then each noted descendant that is still the same process.
export function killTree(snapshot: TreeSnapshot, deps: ProcessDeps = {}): void {
  signalGroup(snapshot.leader, 'SIGKILL', deps.kill);
  killSurvivors(snapshot.members, deps.proc ?? procfs, deps.kill);
}

// A stop handle for the group led by `pgid` (we spawn detached, so the leader's pid is the group id).
export function createGroupStop<R extends string = string>(options: { pgid: number; graceMs: number } & ProcessDeps): GroupStop<R> {
  const { pgid } = options;
  const timers = options.timers ?? nodeTimers;
  let reason: R | undefined;
  let snapshot: TreeSnapshot = { leader: pgid, members: [] };
  let signalled: boolean | undefined;
  let stopped = false;
  let pending: { handle: unknown; at: number } | undefined;
  let finished = false;

  const finalBlow = () => {
    finished = true;
    if (pending) timers.clear(pending.handle);
    pending = undefined;
    killTree(snapshot, options);
  };
  const schedule = (graceMs: number) => {
    const at = Date.now() + graceMs;
    if (finished || (pending && pending.at <= at)) return;
    if (pending) timers.clear(pending.handle);
    pending = { handle: timers.set(finalBlow, graceMs), at };
  };
  const terminate = (leaderAlive: boolean, graceMs: number): boolean => {
    if (signalled === undefined) {
      // Note the tree first: tools in process groups of their own are orphaned once the leader dies. (After the
      // leader exited on its own they are orphaned already, and reading /proc would cost every run a millisecond.)
      if (leaderAlive) snapshot = snapshotTree(pgid, options.proc ?? procfs);
      signalled = signalGroup(pgid, 'SIGTERM', options.kill);
    }
    if (signalled) schedule(graceMs);
    return signalled;
  };

  return {
    get reason() {
      return reason;
    },
    stop(next, stopOptions = {}) {
      reason ??= next;
      stopped = true;
      return terminate(true, stopOptions.graceMs ?? options.graceMs);
    },
    afterExit() {
      // We stopped it and it is gone: finish the rest of its tree now. The grace timer is unref'd, and the process
      // that waits for this run (a job supervisor, `test`) may exit before it fires.
      if (stopped) return finalBlow();
      terminate(false, options.graceMs);
    },
  };
}
