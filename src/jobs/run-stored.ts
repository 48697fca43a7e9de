// One stored job from admission to its end: budget → slot → (cache state) → execute → finish, under one
// cancellation signal (the caller's, a cancel through the store, and shutdown, joined by AbortSignal.any).
import type { Config } from '../config/schema.js';
import type { Logger } from '../shared/log.js';
import type { RunEvent, RunRequest, RunResult, ServeRemoteRelay } from '../shared/types.js';
import type { Runner } from '../runner/types.js';
import { checkDailyBudget } from './budget.js';
import type { CacheTicket } from './cache-gate.js';
import { executeJob } from './execute.js';
import type { Endings } from './finish-run.js';
import { failedResult } from './run-failure.js';
import type { LiveRun, LiveRuns } from './shutdown.js';
import type { ProcessRef } from './store/process.js';
import type { FinishInput, JobStore, Lease, SlotRequest } from './store/types.js';
import type { JobRecord } from './types.js';
import { DEFAULT_APPROVAL_TIMEOUT_SECONDS, type AskCaller } from '../shared/approvals.js';
import type { AllowAlways } from './approvals/answer.js';
import { asksApproval } from './prepare.js';

/** What every run of a service shares. */
export interface RunDeps {
  store: JobStore;
  logger: Logger;
  now: () => number;
  /** The current config: a queued job re-reads it for the budget once its slot is free. */
  config: () => Config;
  runner: (config: Config) => Runner;
  endings: Endings;
  runs: LiveRuns;
  self?: ProcessRef;
  progressIntervalMs?: number;
  /** What approvals `ask` needs: the relay command, the folder for the run's socket, the config editor. */
  approvals?: ApprovalDeps;
}

/** The service-wide part of approvals `ask`. */
export interface ApprovalDeps {
  /** Starts this CLI again (`__approval-relay` is appended). */
  relayCommand: readonly string[];
  /** The state directory (the socket goes in its approvals/ folder). */
  dir: string;
  allowAlways?: AllowAlways;
  /** Serves the relay over HTTP for runs on SSH hosts (without it, approvals "ask" fails for them). */
  serveRemote?: ServeRemoteRelay;
}

/** One job to run here. */
export interface StoredRun {
  job: JobRecord;
  run: RunRequest;
  slot: SlotRequest;
  /** Taken together with the job row when there was room. */
  lease?: Lease;
  cache?: CacheTicket;
  signal?: AbortSignal;
  onEvent?: (event: RunEvent, line?: string) => void;
  /** Approvals `ask` on a synchronous call: asks the caller (elicitation) when its client can answer. */
  askCaller?: AskCaller;
}

// Run the job to its end and return its result; the row ends done, failed or cancelled. Never throws.
export async function runStored(deps: RunDeps, config: Config, input: StoredRun): Promise<RunResult> {
  const { store } = deps;
  const jobId = input.job.id;
  const agent = input.run.agent;
  const controller = new AbortController();
  const live: LiveRun = { controller };
  deps.runs.set(jobId, live);
  const signal = input.signal ? AbortSignal.any([controller.signal, input.signal]) : controller.signal;
  const unsubscribe = store.onCancelRequested(jobId, () => {
    if (store.isCancelRequested(jobId)) controller.abort(new Error('cancelled'));
  });
  let lease = input.lease;
  const end = (finish: FinishInput) => {
    unsubscribe(); // its own ending is no news to this run
    deps.endings.finish(jobId, finish, lease);
    lease = undefined;
  };
  const refuse = (why: { type: 'budget' | 'cancelled'; message: string; hint?: string }, reason: string, status: 'failed' | 'cancelled') => {
    // No agent ran: the job ends with the reason only, and nothing enters the cost ledger.
    end({ status, reason });
    return failedResult(agent, why);
  };
  const notStarted = { type: 'cancelled', message: `Job ${jobId} was cancelled before its agent started.` } as const;
  try {
    // A job created with its slot (and running already) passed the budget check just before.
    const waited = lease === undefined;
    if (waited) {
      const refusal = checkDailyBudget(config, agent.name, store, deps.now());
      if (refusal) return refuse({ ...refusal, type: 'budget' }, refusal.message, 'failed');
      try {
        lease = await store.acquireLease({ limit: input.slot.limit, jobId, signal, ...(input.slot.pool ? { pool: input.slot.pool } : {}), ...(input.slot.holder ? { holder: input.slot.holder } : {}) });
      } catch (error) {
        if (!signal.aborted) throw error;
        return refuse(notStarted, 'cancelled while waiting for a concurrency slot', 'cancelled');
      }
      // A queued job may find today's budget spent by the time its slot is free.
      const late = checkDailyBudget(deps.config(), agent.name, store, deps.now());
      if (late) return refuse({ ...late, type: 'budget' }, late.message, 'failed');
      if (!store.markRunning(jobId, deps.self ? { owner: deps.self } : {})) {
        end({ status: 'cancelled', reason: 'cancelled before it started' });
        return store.get(jobId).result ?? failedResult(agent, notStarted);
      }
    }
    // The status read behind the cache key also serves the runner's before-run snapshot: one `git status` per run.
    const workTreeStatus = await input.cache?.beforeStart(waited);
    const executed = await executeJob(
      { store, runner: deps.runner(config), logger: deps.logger, ...(deps.self ? { self: deps.self } : {}), ...(deps.progressIntervalMs ? { progressIntervalMs: deps.progressIntervalMs } : {}) },
      {
        jobId,
        run: input.run,
        signal,
        ...(workTreeStatus ? { workTreeStatus } : {}),
        ...(input.onEvent ? { onEvent: input.onEvent } : {}),
        onSpawn: (pgid) => void (live.pgid = pgid),
        ...(asksApproval(input.run) && deps.approvals
          ? {
              approvals: {
                relayCommand: deps.approvals.relayCommand,
                dir: deps.approvals.dir,
                timeoutMs: (input.run.agent.approvalTimeout ?? DEFAULT_APPROVAL_TIMEOUT_SECONDS) * 1000,
                ...(input.askCaller ? { askCaller: input.askCaller } : {}),
                ...(deps.approvals.allowAlways ? { allowAlways: deps.approvals.allowAlways } : {}),
                // Only a run on an SSH host needs the HTTP endpoint; a local CLI starts the stdio relay itself.
                ...(agent.host !== undefined && deps.approvals.serveRemote ? { serveRemote: deps.approvals.serveRemote } : {}),
              },
            }
          : {}),
      },
    );
    const { result } = executed;
    const status = result.ok ? 'done' : result.error?.type === 'cancelled' ? 'cancelled' : 'failed';
    end({ status, result, progress: executed.progress, events: executed.events });
    return result;
  } catch (error) {
    // A store failure before the agent ran: report it as the job's failure rather than leaving it pending.
    const failure = failedResult(agent, { type: 'cli_error', message: `Job ${jobId} failed in agent-dispatch: ${(error as Error).message}` });
    end({ status: 'failed', result: failure, reason: (error as Error).message });
    return failure;
  } finally {
    deps.runs.delete(jobId);
    unsubscribe();
  }
}
