// Execute: run the agent of a running job that holds its slot. The agent's process group is recorded once it is
// spawned; progress and events are saved every interval while it works; what is not yet saved at the end is
// handed back, for the finishing write to carry.
import type { Logger } from '../shared/log.js';
import { ProgressTracker, type ProgressSnapshot } from '../shared/progress.js';
import type { RunEvent, RunRequest, RunResult, WorkTreeStatus } from '../shared/types.js';
import type { Runner } from '../runner/types.js';
import type { JobStore } from './store/types.js';
import type { ProcessRef } from './store/process.js';
import { openApprovalBroker, type ApprovalBroker, type BrokerOptions } from './approvals/broker.js';

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
  /** The one cancellation signal of the run (caller, cancel, shutdown). */
  signal: AbortSignal;
  /** Each event with its progress line, if it deserves one. */
  onEvent?: (event: RunEvent, line?: string) => void;
  /** The agent's process group, once spawned (shutdown kills it directly). */
  onSpawn?: (pgid: number) => void;
  /** Approvals `ask`: the run's permission requests go to a broker opened for this run. */
  approvals?: Omit<BrokerOptions, 'store' | 'jobId' | 'notify' | 'logger'>;
  /** The cache gate's `git status` read of the directory, for the runner's snapshot to reuse. */
  workTreeStatus?: WorkTreeStatus;
}

/** The run's result and what the finishing write must still save. */
export interface Executed {
  result: RunResult;
  progress: ProgressSnapshot;
  events: RunEvent[];
}

// Run the agent. Never throws for agent failures; store failures while it runs are logged, not fatal.
export async function executeJob(ctx: ExecuteContext, input: ExecuteInput): Promise<Executed> {
  const { store, logger } = ctx;
  const { jobId } = input;
  // One tracker per run: its lines feed both the stored progress and the caller's notifications.
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
  let timer: NodeJS.Timeout | undefined;
  let broker: ApprovalBroker | undefined;
  try {
    if (input.approvals) {
      broker = await openApprovalBroker({
        ...input.approvals,
        store,
        jobId,
        logger,
        // Requests and decisions are in the timeline already (the store wrote them): only the progress line is new.
        notify: (event) => {
          const line = tracker.update(event);
          input.onEvent?.(event, line);
          try {
            store.saveProgress(jobId, tracker.current());
          } catch (error) {
            logger.warn(`could not save progress of job ${jobId}: ${(error as Error).message}`);
          }
        },
      });
    }
    const result = await ctx.runner.run(input.run, {
      signal: input.signal,
      jobId,
      ...(broker ? { approvalRelay: broker.relay } : {}),
      ...(input.workTreeStatus ? { workTreeStatus: input.workTreeStatus } : {}),
      onEvent: (event) => {
        const line = tracker.update(event);
        pending.push(event);
        timer ??= setInterval(flush, ctx.progressIntervalMs ?? 250).unref();
        input.onEvent?.(event, line);
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
    return { result, progress: tracker.current(), events: pending };
  } finally {
    clearInterval(timer);
    broker?.close();
  }
}
