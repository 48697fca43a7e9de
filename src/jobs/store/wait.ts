// Waiting without polling steps: the store's own writes wake waiters at once through the in-process notifier;
// other processes' commits are seen by the data_version poll. Waiting only reads.
import { DispatchError } from '../../shared/errors.js';
import type { StoreContext } from './context.js';
import { changesSince, currentSeq } from './changes.js';
import { getJob, isCancelRequested } from './jobs.js';
import { isTerminal, parseJobId } from './rows.js';
import type { ChangeBatch, WaitResult } from './types.js';

type Guard = <T>(fn: () => T) => T;

// Resolve once the job is terminal, or with the current record after timeoutMs.
export function waitFor(ctx: StoreContext, guard: Guard, rawId: string, options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<WaitResult> {
  const { timeoutMs, signal } = options;
  if (timeoutMs !== undefined && !(typeof timeoutMs === 'number' && timeoutMs >= 0)) {
    return Promise.reject(new DispatchError('INVALID_INPUT', `timeoutMs must be 0 or more (got ${String(timeoutMs)}).`));
  }
  let id: string;
  try {
    id = parseJobId(rawId);
    if (signal?.aborted) return Promise.reject(signal.reason);
    const job = guard(() => getJob(ctx, id));
    if (isTerminal(job.status)) return Promise.resolve({ job, timedOut: false });
  } catch (error) {
    return Promise.reject(error);
  }
  return new Promise<WaitResult>((resolve, reject) => {
    let settled = false;
    const cleanup = () => {
      settled = true;
      ctx.notifier.off('job', onJob).off('external', onExternal).off('tick', onTick).off('close', onClose);
      signal?.removeEventListener('abort', onAbort);
      if (timer) clearTimeout(timer);
      unwatch();
    };
    const finishWith = (timedOut: boolean) => {
      if (settled) return;
      try {
        const job = guard(() => getJob(ctx, id));
        cleanup();
        resolve({ job, timedOut: timedOut && !isTerminal(job.status) });
      } catch (error) {
        cleanup();
        reject(error);
      }
    };
    // Cheap check first: one indexed status read; the full record only once it is terminal.
    const check = () => {
      if (settled) return;
      try {
        const row = guard(() => ctx.conn.prepare('SELECT status FROM jobs WHERE id = ?').get(id)) as { status: string } | undefined;
        if (!row || isTerminal(row.status)) finishWith(false);
      } catch (error) {
        cleanup();
        reject(error);
      }
    };
    const onJob = (changed: string) => {
      if (changed === id) check();
    };
    const onExternal = () => check();
    // A missed notification costs at most a tick. A dead owner writes nothing: the dispatch service's sweep
    // (recoverStale) ends its jobs, and that write wakes this wait.
    const onTick = () => check();
    const onAbort = () => {
      if (settled) return;
      cleanup();
      reject(signal?.reason);
    };
    const onClose = () => {
      if (settled) return;
      cleanup();
      reject(new DispatchError('STORE_UNAVAILABLE', `The job store was closed while waiting for job ${id}.`));
    };
    const unwatch = ctx.watch();
    ctx.notifier.on('job', onJob).on('external', onExternal).on('tick', onTick).on('close', onClose);
    signal?.addEventListener('abort', onAbort, { once: true });
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => finishWith(true), timeoutMs);
  });
}

// Call `listener` once when the job is asked to stop (or ended elsewhere); returns an unsubscribe function.
export function onCancelRequested(ctx: StoreContext, guard: Guard, rawId: string, listener: () => void): () => void {
  const id = parseJobId(rawId);
  let active = true;
  const stop = () => {
    if (!active) return;
    active = false;
    ctx.notifier.off('stop', onStop).off('external', check);
    unwatch();
  };
  function check() {
    if (!active) return;
    let fire: boolean;
    try {
      fire = guard(() => isCancelRequested(ctx, id));
    } catch (error) {
      ctx.logger.debug(`cancel check for job ${id} failed: ${(error as Error).message}`);
      return;
    }
    if (fire) {
      stop();
      listener();
    }
  }
  function onStop(changed: string) {
    if (changed === id) check();
  }
  const unwatch = ctx.watch();
  ctx.notifier.on('stop', onStop).on('external', check);
  queueMicrotask(check);
  return stop;
}

// Deliver coalesced change batches to `listener`, starting after `since` (default: the current sequence).
export function subscribe(ctx: StoreContext, guard: Guard, listener: (batch: ChangeBatch) => void, options: { since?: number } = {}): () => void {
  let cursor = options.since ?? guard(() => currentSeq(ctx));
  let active = true;
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    while (active) {
      let batch: ChangeBatch;
      try {
        batch = guard(() => changesSince(ctx, cursor));
      } catch (error) {
        ctx.logger.debug(`change feed read failed: ${(error as Error).message}`);
        return;
      }
      if (batch.changes.length === 0 && !batch.purged) return;
      cursor = batch.seq;
      try {
        listener(batch);
      } catch (error) {
        ctx.logger.warn(`change feed listener failed: ${(error as Error).message}`);
      }
      if (batch.changes.length < 500) return;
    }
  };
  // Coalesce bursts of writes into one read.
  const schedule = () => {
    if (active && !scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };
  const unwatch = ctx.watch();
  ctx.notifier.on('job', schedule).on('external', schedule);
  schedule();
  return () => {
    if (!active) return;
    active = false;
    ctx.notifier.off('job', schedule).off('external', schedule);
    unwatch();
  };
}
