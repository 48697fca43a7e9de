// Finish: the job's final row (status, result, last progress and events) and the release of its slot, in one
// write. When the store cannot write (disk full, a lock held too long), the answer still goes back to the caller
// and the write is retried with backoff, then by every sweep, until it lands: a slot must never stay held by a run
// that is over (other processes also reclaim a lease once its job is terminal).
import type { Logger } from '../shared/log.js';
import type { FinishInput, JobStore, Lease } from './store/types.js';

/** Retry delays of a failed final write, in ms; after the last one, each sweep tries again. */
export const FINISH_BACKOFF_MS = [50, 200, 800, 2_000] as const;

/** Endings this process still owes the store. */
export interface Endings {
  /** Write the job's end and release its lease; on failure, keep retrying in the background. */
  finish(jobId: string, input: FinishInput, lease?: Lease): void;
  /** Try every owed ending again now (the sweep calls this). Returns how many are still owed. */
  retry(): number;
  /** Stop the background retries (shutdown). */
  stop(): void;
}

interface Owed {
  input: FinishInput;
  lease?: Lease;
  attempt: number;
  timer?: NodeJS.Timeout;
}

// Track endings for one store.
export function createEndings(store: JobStore, logger: Logger, backoff: readonly number[] = FINISH_BACKOFF_MS): Endings {
  const owed = new Map<string, Owed>();

  const attempt = (jobId: string, entry: Owed): boolean => {
    try {
      store.finish(jobId, { ...entry.input, ...(entry.lease ? { release: entry.lease } : {}) });
    } catch (error) {
      // The job row may be beyond saving for now; the slot must not be: try releasing it on its own.
      if (entry.lease?.release()) delete entry.lease;
      if (entry.attempt === 0) logger.error(`could not record the end of job ${jobId} (will retry): ${(error as Error).message}`);
      return false;
    }
    entry.lease?.release();
    return true;
  };

  const schedule = (jobId: string, entry: Owed) => {
    const delay = backoff[entry.attempt - 1];
    if (delay === undefined) return; // from here on, each sweep retries
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      if (!owed.has(jobId)) return;
      if (attempt(jobId, entry)) {
        owed.delete(jobId);
        logger.info(`recorded the end of job ${jobId} after ${entry.attempt} retr${entry.attempt === 1 ? 'y' : 'ies'}`);
      } else {
        entry.attempt += 1;
        schedule(jobId, entry);
      }
    }, delay).unref();
  };

  return {
    finish(jobId, input, lease) {
      const entry: Owed = { input, attempt: 0, ...(lease ? { lease } : {}) };
      if (attempt(jobId, entry)) return;
      entry.attempt = 1;
      owed.set(jobId, entry);
      schedule(jobId, entry);
    },
    retry() {
      for (const [jobId, entry] of owed) {
        if (!attempt(jobId, entry)) continue;
        clearTimeout(entry.timer);
        owed.delete(jobId);
      }
      return owed.size;
    },
    stop() {
      for (const entry of owed.values()) clearTimeout(entry.timer);
      owed.clear();
    },
  };
}
