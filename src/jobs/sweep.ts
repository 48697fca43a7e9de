// The sweep: the only place where the service acts on jobs it does not run. It fails active jobs whose owner
// process died (their rows would say "running" forever), stops agents such an owner left running, and retries
// final writes this process still owes. It runs when the service starts and then on a timer, so reads
// (dispatch_status, dispatch_wait, dispatch_jobs) only read.
import type { Logger } from '../shared/log.js';
import type { Endings } from './finish-run.js';
import { lostOwner, stopOrphanedAgent, type OrphanProbe } from './orphans.js';
import type { JobStore } from './store/types.js';

/** Default time between sweeps while the process lives. */
export const SWEEP_INTERVAL_MS = 5_000;
/** Newest failed jobs looked at for orphaned agents per sweep. */
const ORPHAN_SCAN = 100;

/** What the sweep works on. */
export interface SweepDeps {
  store: JobStore;
  logger: Logger;
  endings?: Endings;
  /** Reads /proc to find agents left running by a dead owner (tests inject one). */
  orphanProbe?: OrphanProbe;
}

/** A sweep that can run now and on a timer. */
export interface Sweep {
  /** One pass; returns how many jobs it failed for a dead owner. Never throws. */
  run(): number;
  /** Repeat every `intervalMs` (unref'd: it never keeps the process alive). */
  start(intervalMs?: number): void;
  stop(): void;
}

// Build the sweep of one service.
export function createSweep(deps: SweepDeps): Sweep {
  const { store, logger } = deps;
  // Each job's agent is checked once: its pid may be reused later.
  const checked = new Set<string>();
  let timer: NodeJS.Timeout | undefined;

  const stopOrphans = () => {
    for (const row of store.list({ status: 'failed', limit: ORPHAN_SCAN })) {
      if (!lostOwner(row) || checked.has(row.id)) continue;
      checked.add(row.id);
      const job = store.get(row.id);
      try {
        if (stopOrphanedAgent(job, deps.orphanProbe)) logger.warn(`job ${job.id}: stopped its agent (process group ${job.childPid}), left running when its owner died`);
      } catch (error) {
        logger.debug(`could not check the agent of job ${job.id}: ${(error as Error).message}`);
      }
    }
  };

  const run = () => {
    let recovered = 0;
    try {
      deps.endings?.retry();
      recovered = store.recoverStale();
      stopOrphans();
    } catch (error) {
      logger.debug(`job sweep failed: ${(error as Error).message}`);
    }
    return recovered;
  };

  return {
    run,
    start(intervalMs = SWEEP_INTERVAL_MS) {
      if (timer || intervalMs <= 0) return;
      timer = setInterval(run, intervalMs).unref();
    },
    stop() {
      clearInterval(timer);
      timer = undefined;
    },
  };
}
