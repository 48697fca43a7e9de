// Waiting for a job the local worker runs: the store notices another process's commit only at its next poll
// (every 25 ms), so the waiter also asks the worker to say when the job has ended, then reads the row at once.
// Any failure of that side channel just leaves the ordinary store wait in charge.
import type { JobStore, WaitResult } from '../store/types.js';
import type { WorkerAddress } from './address.js';
import { connectWorker, type WorkerConnection } from './client.js';

/** Calls `onEnd` once when the worker says the job no longer runs there (or cannot be asked); returns a stop function. */
export type WatchEnd = (jobId: string, onEnd: () => void) => () => void;

const TERMINAL = new Set(['done', 'failed', 'cancelled']);

// Ask the worker at `address` to push the end of a job.
export function watchEnd(address: WorkerAddress): WatchEnd {
  return (jobId, onEnd) => {
    let over = false;
    let conn: WorkerConnection | undefined;
    const fire = () => {
      if (over) return;
      over = true;
      conn?.close();
      onEnd();
    };
    connectWorker(address.socket, 1_000)
      .then((c) => {
        conn = c;
        if (over) return c.close();
        return c.ask({ op: 'watch', id: jobId }).then(fire);
      })
      .catch(fire);
    return () => {
      over = true;
      conn?.close();
    };
  };
}

// store.waitFor, woken early by the worker's push.
export async function waitWithPush(store: JobStore, watch: WatchEnd, jobId: string, timeoutMs?: number, signal?: AbortSignal): Promise<WaitResult> {
  const started = Date.now();
  const pushed = new AbortController();
  const stop = watch(jobId, () => pushed.abort());
  try {
    const joined = signal ? AbortSignal.any([signal, pushed.signal]) : pushed.signal;
    return await store.waitFor(jobId, { ...(timeoutMs !== undefined ? { timeoutMs } : {}), signal: joined });
  } catch (error) {
    if (!pushed.signal.aborted || signal?.aborted) throw error;
  } finally {
    stop();
  }
  // The worker is done with the job (or was not running it): the row is final now, or the plain wait goes on.
  const job = store.get(jobId);
  if (TERMINAL.has(job.status)) return { job, timedOut: false };
  const left = timeoutMs === undefined ? {} : { timeoutMs: Math.max(0, timeoutMs - (Date.now() - started)) };
  return store.waitFor(jobId, { ...left, ...(signal ? { signal } : {}) });
}
