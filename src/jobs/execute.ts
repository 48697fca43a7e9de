// Runs one stored job: waits for a concurrency slot, runs the agent, saves progress as it goes and the
// result at the end. Used by synchronous dispatches (in the server) and by the detached supervisor.
import type { Logger } from '../shared/log.js';
import { ProgressTracker } from '../shared/progress.js';
import type { RunEvent, RunRequest, RunResult } from '../shared/types.js';
import type { Runner } from '../runner/types.js';
import type { JobStore } from './store/types.js';
import type { ProcessRef } from './store/process.js';
import { failedResult, type RunFailureLike } from './run-failure.js';

/** What executeJob needs. */
export interface ExecuteContext {
  store: JobStore;
  runner: Runner;
  logger: Logger;
  self?: ProcessRef;
  /** How often progress and events are written to the store while the agent works (default 250 ms). */
  progressIntervalMs?: number;
}

/** One run of one job. */
export interface ExecuteInput {
  jobId: string;
  run: RunRequest;
  /** settings.max_concurrency, enforced across every process through leases; undefined: no lease (a nested
   *  dispatch runs inside its parent's slot — waiting for a slot its own parent holds would deadlock). */
  limit?: number;
  /** Checked again once a slot is free, just before the agent starts (the daily budget may be spent by then). */
  recheck?: () => RunFailureLike | undefined;
  signal?: AbortSignal;
  onEvent?: (event: RunEvent) => void;
  /** The agent's process group, once spawned (shutdown kills it directly). */
  onSpawn?: (pgid: number) => void;
}

// Execute the job and return its result; the job row ends done, failed or cancelled. Never throws for agent failures.
export async function executeJob(ctx: ExecuteContext, input: ExecuteInput): Promise<RunResult> {
  const { store, logger } = ctx;
  const { jobId } = input;
  const controller = new AbortController();
  const abort = () => controller.abort(new Error('cancelled'));
  if (input.signal?.aborted) abort();
  input.signal?.addEventListener('abort', abort, { once: true });
  const unsubscribe = store.onCancelRequested(jobId, () => {
    if (store.isCancelRequested(jobId)) abort();
  });
  const cancelled = () => failedResult(input.run.agent, { type: 'cancelled', message: `Job ${jobId} was cancelled before its agent started.` });
  let lease: { release(): void } | undefined;
  try {
    try {
      if (input.limit !== undefined) {
        lease = await store.acquireLease({ limit: input.limit, jobId, signal: controller.signal, ...(ctx.self ? { holder: ctx.self } : {}) });
      }
    } catch (error) {
      if (!controller.signal.aborted) throw error;
      // Cancelled while queued: no agent ran, so no result and no run in the cost ledger, only the reason.
      store.finish(jobId, { status: 'cancelled', reason: 'cancelled while waiting for a concurrency slot' });
      return cancelled();
    }
    const refusal = input.recheck?.();
    if (refusal) {
      // No agent ran: the job ends with the reason only, and nothing enters the cost ledger.
      store.finish(jobId, { status: 'failed', reason: refusal.message });
      return failedResult(input.run.agent, refusal);
    }
    if (!store.markRunning(jobId, ctx.self ? { owner: ctx.self } : {})) return store.get(jobId).result ?? cancelled();

    const tracker = new ProgressTracker();
    let pending: RunEvent[] = [];
    const flush = () => {
      if (pending.length === 0) return;
      const events = pending;
      pending = [];
      try {
        store.saveProgress(jobId, tracker.current(), events);
      } catch (error) {
        logger.warn(`could not save progress of job ${jobId}: ${(error as Error).message}`);
      }
    };
    const timer = setInterval(flush, ctx.progressIntervalMs ?? 250).unref();
    let result: RunResult;
    try {
      result = await ctx.runner.run(input.run, {
        jobId,
        signal: controller.signal,
        onEvent: (event) => {
          tracker.update(event);
          pending.push(event);
          input.onEvent?.(event);
        },
        onSpawn: ({ pid, pgid }) => {
          input.onSpawn?.(pgid);
          try {
            store.setChild(jobId, pid);
          } catch (error) {
            logger.warn(`could not record the process of job ${jobId}: ${(error as Error).message}`);
          }
        },
      });
    } finally {
      clearInterval(timer);
      flush();
    }
    const status = result.ok ? 'done' : result.error?.type === 'cancelled' ? 'cancelled' : 'failed';
    try {
      store.finish(jobId, { status, result });
    } catch (error) {
      // The agent's answer (and its cost) matter more than our record of it: hand it back anyway. The job row is
      // recovered as failed once this process is gone.
      logger.error(`could not record the result of job ${jobId}: ${(error as Error).message}`);
    }
    return result;
  } catch (error) {
    // A store failure mid-run: report it as the job's failure rather than leaving it running.
    const failure = failedResult(input.run.agent, { type: 'cli_error', message: `Job ${jobId} failed in agent-dispatch: ${(error as Error).message}` });
    try {
      store.finish(jobId, { status: 'failed', result: failure, reason: (error as Error).message });
    } catch {}
    return failure;
  } finally {
    lease?.release();
    unsubscribe();
    input.signal?.removeEventListener('abort', abort);
  }
}
