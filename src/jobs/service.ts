// The dispatch service: every dispatch becomes a job in the shared store, runs under the cross-process
// concurrency limit, and may be answered from the cache. MCP tools, the CLI and the dashboard all use it.
// A dispatch is a chain of named steps: prepare (prepare.ts) → cache gate (cache-gate.ts) → admission: budget
// and slot (admission.ts) → execute (execute.ts) → finish (finish-run.ts); run-stored.ts strings the last ones
// together. Acting on jobs this process does not run is the sweep's (sweep.ts); shutdown is shutdown.ts.
import type { Config } from '../config/schema.js';
import { ResultCache } from '../cache/cache.js';
import type { Runner } from '../runner/types.js';
import type { ModelPrice } from '../runner/index.js';
import { DispatchError } from '../shared/errors.js';
import { silentLogger, type Logger } from '../shared/log.js';
import type { RunRequest, RunResult } from '../shared/types.js';
import { slotFor } from './admission.js';
import { checkDailyBudget } from './budget.js';
import { openCacheGate, type CacheGateDeps, type CachedAnswer } from './cache-gate.js';
import type { CancelOutcome, Dispatcher, DispatchOutcome, TaskJobs } from './dispatcher.js';
import { createEndings } from './finish-run.js';
import { lostOwner, stopOrphanedAgent, type OrphanProbe } from './orphans.js';
import { asksApproval, isolated, prepareRun } from './prepare.js';
import { refuseAgentAnswer, submitApprovalDecision } from './approvals/answer.js';
import { DIALOGUE_TOOL, dialogueShape, runDialogueJob } from './dialogue-job.js';
import { failedResult } from './run-failure.js';
import { runStored, type ApprovalDeps, type RunDeps } from './run-stored.js';
import { abortAll, type LiveRuns } from './shutdown.js';
import { currentProcess, processRef, type ProcessRef } from './store/process.js';
import type { JobStore, JobSummary } from './store/types.js';
import { createSweep } from './sweep.js';
import type { DispatchRequest, JobRecord, JobStatus } from './types.js';
import type { Launched } from './worker/launch.js';
import { waitWithPush, type WatchEnd } from './worker/wait.js';

export type { CachedAnswer } from './cache-gate.js';

/** The settings a runner is built for: when they change in the config, a new runner is made. */
export interface RunnerLimits {
  maxDepth: number;
  maxOutputBytes?: number;
  /** `settings.prices`, for runtimes that report tokens but no cost. */
  prices?: Record<string, ModelPrice>;
}

/** What the service is built from. */
export interface DispatchServiceDeps {
  /** The current config (re-read by the config store when the file changes). */
  config: () => Config;
  /** A runner for the given limits (settings may change while the server runs). */
  runner: (limits: RunnerLimits) => Runner;
  store: JobStore;
  cache?: ResultCache<CachedAnswer>;
  /** Git HEAD + dirty state of an agent's project (on its host for a remote agent), for the cache key. */
  projectState?: CacheGateDeps['projectState'];
  /** Starts the detached supervisor that runs a background job (`agent-dispatch` in job-runner mode); returns its pid. */
  startSupervisor?: (jobId: string) => number;
  /** Starts a background job through the local worker (jobs/worker/launch.ts); preferred over startSupervisor. */
  launch?: (jobId: string) => Promise<Launched>;
  /** Lets a wait hear at once that the local worker ended a job (jobs/worker/wait.ts). */
  watchEnd?: WatchEnd;
  logger?: Logger;
  now?: () => number;
  self?: ProcessRef;
  /** Reads /proc to find agents left running by a dead owner (tests inject one). */
  orphanProbe?: OrphanProbe;
  /** This process runs inside a dispatched agent (AGENT_DISPATCH_DEPTH > 0): its dispatches share one slot per
   *  parent job (never the global one: the parent holds a slot for the whole chain, and waiting for it would deadlock). */
  nested?: boolean;
  /** The job of the agent this process runs in (AGENT_DISPATCH_JOB), when nested. */
  parentJobId?: string;
  /** How often a running job's progress is written to the store (default 250 ms). */
  progressIntervalMs?: number;
  /** Time between sweeps (default 5 s; 0: only at start). */
  sweepIntervalMs?: number;
  /** Approvals `ask` (issue 18): without it, a dispatch that asks is refused. */
  approvals?: ApprovalDeps;
}

/** The service plus the supervisor's entry point. */
export interface DispatchService extends Dispatcher, TaskJobs {
  readonly tasks: TaskJobs;
  status(jobId: string): JobRecord;
  jobs(filter: { status?: JobStatus; agent?: string; limit: number }): JobSummary[];
  gc(maxAgeDays: number): number;
  /** Run a pending background job to its end in this process (the supervisor calls this). */
  runJob(jobId: string, signal?: AbortSignal): Promise<RunResult | undefined>;
  /** One sweep now: fail jobs of dead owners, stop their agents, retry owed writes. Returns how many it failed. */
  sweep(): number;
}

// Build the service. The first sweep runs now; later ones on an unref'd timer until abortAll.
export function createDispatchService(deps: DispatchServiceDeps): DispatchService {
  const logger = deps.logger ?? silentLogger;
  const cache = deps.cache ?? new ResultCache<CachedAnswer>();
  const self = deps.self ?? currentProcess();
  const nesting = { nested: deps.nested === true, ...(deps.parentJobId ? { parentJobId: deps.parentJobId } : {}) };
  const runners = new Map<string, Runner>();
  const runs: LiveRuns = new Map();
  const endings = createEndings(deps.store, logger);
  const sweep = createSweep({ store: deps.store, logger, endings, ...(deps.orphanProbe ? { orphanProbe: deps.orphanProbe } : {}) });
  const owner = deps.self ? { owner: deps.self } : {};

  const runnerFor = (config: Config) => {
    const limits = {
      maxDepth: config.settings.max_dispatch_depth,
      ...(config.settings.max_output_bytes ? { maxOutputBytes: config.settings.max_output_bytes } : {}),
      ...(config.settings.prices ? { prices: config.settings.prices } : {}),
    };
    const key = JSON.stringify(limits);
    let runner = runners.get(key);
    if (!runner) runners.set(key, (runner = deps.runner(limits)));
    return runner;
  };
  const runDeps: RunDeps = {
    store: deps.store,
    logger,
    now: deps.now ?? Date.now,
    config: deps.config,
    runner: runnerFor,
    endings,
    runs,
    ...(deps.self ? { self: deps.self } : {}),
    ...(deps.progressIntervalMs ? { progressIntervalMs: deps.progressIntervalMs } : {}),
    ...(deps.approvals ? { approvals: deps.approvals } : {}),
  };
  const checkApprovals = (run: RunRequest) => {
    if (asksApproval(run) && !deps.approvals) {
      throw new DispatchError('INVALID_INPUT', `approvals "ask" for agent ${run.agent.name} needs the agent-dispatch CLI to relay the requests, and this process has none.`, { hint: 'Dispatch with approvals "deny".' });
    }
  };

  // A job that cannot run (its agent vanished from the config, the store failed): fail it with the reason.
  const failUnrunnable = (job: JobRecord, error: unknown): RunResult => {
    const reason = `The job could not run: ${(error as Error).message}`;
    endings.finish(job.id, { status: 'failed', reason });
    return failedResult({ name: job.agent, runtime: 'claude' }, { type: 'cli_error', message: reason });
  };

  // The cache gate of one dispatch (undefined: not cached). An isolated run's answer names its own worktree:
  // asking again means a new attempt, not a cached one.
  const gateDeps = { cache, ...(deps.projectState ? { projectState: deps.projectState } : {}) };
  const gateFor = (config: Config, request: DispatchRequest, run: RunRequest, useCache: boolean) =>
    openCacheGate(gateDeps, config, request, run, useCache && !isolated(run));

  const service: DispatchService = {
    get tasks() {
      return service;
    },
    async dispatch(request, options = {}): Promise<DispatchOutcome> {
      const config = deps.config();
      const run = prepareRun(config, request); // validates before anything is stored
      checkApprovals(run);
      const gate = await gateFor(config, request, run, options.useCache === true);
      if (gate?.hit) return { jobId: gate.hit.jobId, result: gate.hit.result, cached: true };
      const slot = slotFor(config, nesting, self, deps.self);
      const input = { kind: options.kind ?? 'sync', request, prompt: run.prompt, promptParts: run, ...owner } as const;
      // Within budget: take the slot with the job row when one is free (a refusal is recorded by runStored).
      const withinBudget = checkDailyBudget(config, run.agent.name, deps.store, runDeps.now()) === undefined;
      const { job, lease } = withinBudget ? deps.store.createWithSlot(input, slot) : { job: deps.store.create(input), lease: undefined };
      options.onJob?.(job.id);
      const result = await runStored(runDeps, config, {
        job,
        run,
        slot,
        ...(lease ? { lease } : {}),
        ...(gate ? { cache: gate } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.onEvent ? { onEvent: options.onEvent } : {}),
        ...(options.askCaller ? { askCaller: options.askCaller } : {}),
      });
      const budgetExceeded = run.agent.maxBudgetUsd !== undefined && result.costUsd > run.agent.maxBudgetUsd;
      gate?.remember(job.id, result);
      return { jobId: job.id, result, cached: false, ...(budgetExceeded ? { budgetExceeded } : {}) };
    },

    async cachedAnswer(request) {
      const config = deps.config();
      const gate = await gateFor(config, request, prepareRun(config, request), true);
      return gate?.hit ? { jobId: gate.hit.jobId, result: gate.hit.result, cached: true } : undefined;
    },

    async start(request, options = {}) {
      const config = deps.config();
      const run = prepareRun(config, request);
      checkApprovals(run);
      if (!deps.startSupervisor && !deps.launch) throw new DispatchError('INVALID_INPUT', 'Background jobs are not available in this process.');
      // Refuse before anything is stored or spawned; the supervisor checks again when the job gets its turn.
      const refusal = checkDailyBudget(config, run.agent.name, deps.store, runDeps.now());
      if (refusal) throw new DispatchError('BUDGET_EXCEEDED', refusal.message, refusal.hint ? { hint: refusal.hint } : {});
      // A task's answer is shaped when it is read, maybe by another process: keep the agent's budget cap of now with
      // it, so the answer flags an overspend as the synchronous one does.
      const cap = run.agent.maxBudgetUsd;
      const task = options.task && cap !== undefined ? { ...options.task, shape: { ...options.task.shape, max_budget_usd: cap } } : options.task;
      const job = deps.store.create({ kind: 'async', request, prompt: run.prompt, promptParts: run, ...owner, ...(task ? { task } : {}) });
      const handOver = async () => {
        try {
          const launched = deps.launch ? await deps.launch(job.id) : { pid: deps.startSupervisor!(job.id) };
          // Hand the job to the supervisor at once: if this server dies before the supervisor starts (node takes
          // 100-300 ms), the job must not be failed as "owner exited". (A live worker has claimed it already.)
          if ('pid' in launched) deps.store.claim(job.id, processRef(launched.pid));
        } catch (error) {
          const reason = `Could not start the background job runner: ${(error as Error).message}`;
          deps.store.finish(job.id, { status: 'failed', reason });
          throw new DispatchError('SPAWN_FAILED', reason, { hint: 'Run `agent-dispatch doctor`.' });
        }
      };
      if (options.task) {
        // A task is answered as soon as its job is durable; the hand-over to the worker (or the supervisor's fork
        // and exec, 2-15 ms) follows right after the answer is on its way. If it cannot start, the job fails with
        // the reason and tasks/get says so; if this server dies first, the sweep of the next one fails the job.
        setImmediate(() => {
          handOver().catch((error: unknown) => logger.warn(`task ${job.id}: ${(error as Error).message}`));
        });
        return job;
      }
      await handOver();
      return deps.store.get(job.id);
    },

    async runJob(jobId, signal) {
      const job = deps.store.get(jobId);
      if (!deps.store.claim(jobId, self)) return job.result;
      // A dialogue task's job runs the dialogue loop here; its turns are this process's own dispatches.
      const link = deps.store.taskLink(jobId);
      const dialogue = link?.tool === DIALOGUE_TOOL ? dialogueShape(link.shape) : undefined;
      if (dialogue) {
        return runDialogueJob({ store: deps.store, logger, now: runDeps.now, dispatch: (request, options) => service.dispatch(request, options) }, job, dialogue, signal);
      }
      try {
        const config = deps.config();
        const run = prepareRun(config, job.request);
        return await runStored(runDeps, config, { job, run, slot: slotFor(config, nesting, self, deps.self), ...(signal ? { signal } : {}) });
      } catch (error) {
        return failUnrunnable(job, error);
      }
    },

    // Reads only read: recovery and orphan stops are the sweep's.
    status: (jobId) => deps.store.get(jobId),
    wait: (jobId, timeoutMs, signal) =>
      deps.watchEnd ? waitWithPush(deps.store, deps.watchEnd, jobId, timeoutMs, signal) : deps.store.waitFor(jobId, { timeoutMs, ...(signal ? { signal } : {}) }),
    jobs: (filter) => deps.store.list(filter),

    async cancel(jobId) {
      const { outcome, job } = deps.store.requestCancel(jobId);
      // A cancel acts anyway: if it found the owner dead, stop the agent it left behind at once.
      if (lostOwner(job)) stopOrphan(job);
      if (outcome !== 'requested') return { outcome: outcome satisfies CancelOutcome, job };
      const local = runs.get(jobId);
      local?.controller.abort(new Error('cancelled'));
      // Another process owns it: its store watcher sees the request and stops the job within a second.
      const waited = await deps.store.waitFor(jobId, { timeoutMs: local ? 10_000 : 2_000 });
      if (waited.timedOut) return { outcome: 'cancel_requested', job: waited.job };
      // It ended during the wait: by our cancel, or on its own just before it.
      return { outcome: waited.job.status === 'cancelled' ? 'cancelled_running' : 'already_terminal', job: waited.job };
    },

    requestCancel(jobId) {
      const cancel = deps.store.requestCancel(jobId);
      if (lostOwner(cancel.job)) stopOrphan(cancel.job);
      // A run of this very process is stopped here; another owner's store watcher sees the flag.
      if (cancel.outcome === 'requested') runs.get(cancel.job.id)?.controller.abort(new Error('cancelled'));
      return cancel;
    },
    taskLink: (jobId) => deps.store.taskLink(jobId),
    answerInput: (jobId, responses) => deps.store.answerInput(jobId, responses),
    createTaskGroup: (input) => deps.store.createTaskGroup(input),
    taskGroup: (id) => deps.store.taskGroup(id),
    retentionDays: () => deps.config().settings.job_retention_days,

    reply: async (jobId, requestId, answer) => {
      refuseAgentAnswer(nesting.nested);
      return submitApprovalDecision({ store: deps.store, ...(deps.approvals?.allowAlways ? { allowAlways: deps.approvals.allowAlways } : {}) }, jobId, requestId, answer);
    },
    gc: (days) => deps.store.gc(days),
    cacheStats: () => cache.stats(),
    clearCache: () => cache.clear(),
    maxConcurrency: () => deps.config().settings.max_concurrency,
    sweep: () => sweep.run(),

    async abortAll(reason) {
      sweep.stop();
      endings.stop();
      await abortAll(runs, reason, logger);
    },
  };

  const stopOrphan = (job: JobRecord) => {
    try {
      if (stopOrphanedAgent(job, deps.orphanProbe)) logger.warn(`job ${job.id}: stopped its agent (process group ${job.childPid}), left running when its owner died`);
    } catch (error) {
      logger.debug(`could not check the agent of job ${job.id}: ${(error as Error).message}`);
    }
  };

  sweep.run();
  sweep.start(deps.sweepIntervalMs);
  return service;
}
