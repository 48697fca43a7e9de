// The dispatch service: every dispatch becomes a job in the shared store, runs under the cross-process
// concurrency limit, and may be answered from the cache. MCP tools, the CLI and the dashboard all use it.
import type { Config } from '../config/schema.js';
import { ResultCache } from '../cache/cache.js';
import { cacheKey, fingerprint } from '../cache/key.js';
import { buildPrompt } from '../runner/prompt.js';
import { signalGroup } from '../runner/terminate.js';
import { descendantsOf, killMarked } from '../runner/tree.js';
import type { Runner } from '../runner/types.js';
import type { ModelPrice } from '../runner/runtimes.js';
import { DispatchError } from '../shared/errors.js';
import { silentLogger, type Logger } from '../shared/log.js';
import type { RunRequest, RunResult } from '../shared/types.js';
import { checkDailyBudget } from './budget.js';
import type { CancelOutcome, DispatchCallOptions, Dispatcher, DispatchOutcome } from './dispatcher.js';
import { executeJob } from './execute.js';
import { lostOwner, stopOrphanedAgent, type OrphanProbe } from './orphans.js';
import { isolated, prepareRun } from './prepare.js';
import { failedResult } from './run-failure.js';
import { currentProcess, processRef, type ProcessRef } from './store/process.js';
import type { JobStore } from './store/types.js';
import type { JobRecord } from './types.js';

/** The settings a runner is built for: when they change in the config, a new runner is made. */
export interface RunnerLimits {
  maxDepth: number;
  maxOutputBytes?: number;
  /** `settings.prices`, for runtimes that report tokens but no cost. */
  prices?: Record<string, ModelPrice>;
}

/** A cached answer remembers the job that produced it. */
export interface CachedAnswer {
  jobId: string;
  result: RunResult;
}

/** What the service is built from. */
export interface DispatchServiceDeps {
  /** The current config (re-read by the config store when the file changes). */
  config: () => Config;
  /** A runner for the given limits (settings may change while the server runs). */
  runner: (limits: RunnerLimits) => Runner;
  store: JobStore;
  cache?: ResultCache<CachedAnswer>;
  /** Git HEAD + dirty state of a directory, for the cache key. */
  projectState?: (directory: string) => Promise<string | undefined>;
  /** Starts the detached supervisor that runs a background job (`agent-dispatch` in job-runner mode); returns its pid. */
  startSupervisor?: (jobId: string) => number;
  logger?: Logger;
  now?: () => number;
  self?: ProcessRef;
  /** Reads /proc to find agents left running by a dead owner (tests inject one). */
  orphanProbe?: OrphanProbe;
  /** This process runs inside a dispatched agent (AGENT_DISPATCH_DEPTH > 0): its dispatches take no concurrency
   *  slot, since the parent holds one for the whole chain and waiting for it would deadlock. */
  nested?: boolean;
  /** How often a running job's progress is written to the store (default 250 ms). */
  progressIntervalMs?: number;
}

/** The service plus the supervisor's entry point. */
export interface DispatchService extends Dispatcher {
  /** Run a pending background job to its end in this process (the supervisor calls this). */
  runJob(jobId: string, signal?: AbortSignal): Promise<RunResult | undefined>;
}

// Build the service.
export function createDispatchService(deps: DispatchServiceDeps): DispatchService {
  const logger = deps.logger ?? silentLogger;
  const now = deps.now ?? Date.now;
  const cache = deps.cache ?? new ResultCache<CachedAnswer>();
  const inflight = new Map<string, { controller: AbortController; pgid?: number }>();
  const runners = new Map<string, Runner>();

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

  const syncCache = (config: Config) => {
    const c = config.settings.cache;
    cache.configure({ enabled: c.enabled, ttlSeconds: c.ttl, maxSize: c.max_size });
  };

  // Run a stored job here: budget check, then executeJob, tracked so cancel and shutdown can reach it.
  const run = async (config: Config, job: JobRecord, runRequest: RunRequest, options: DispatchCallOptions = {}) => {
    const refusal = checkDailyBudget(config, runRequest.agent.name, deps.store, now());
    if (refusal) {
      // No agent ran: the job ends failed with the reason, and no run is written to the cost ledger.
      deps.store.finish(job.id, { status: 'failed', reason: refusal.message });
      return failedResult(runRequest.agent, refusal);
    }
    const controller = new AbortController();
    const entry: { controller: AbortController; pgid?: number } = { controller };
    inflight.set(job.id, entry);
    const onAbort = () => controller.abort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted) controller.abort();
    try {
      return await executeJob(
        { store: deps.store, runner: runnerFor(config), logger, ...(deps.self ? { self: deps.self } : {}), ...(deps.progressIntervalMs ? { progressIntervalMs: deps.progressIntervalMs } : {}) },
        {
          jobId: job.id,
          run: runRequest,
          ...(deps.nested ? {} : { limit: config.settings.max_concurrency }),
          // A queued job may find today's budget spent by the time its slot is free.
          recheck: () => checkDailyBudget(deps.config(), runRequest.agent.name, deps.store, now()),
          signal: controller.signal,
          ...(options.onEvent ? { onEvent: options.onEvent } : {}),
          onSpawn: (pgid) => void (entry.pgid = pgid),
        },
      );
    } finally {
      inflight.delete(job.id);
      options.signal?.removeEventListener('abort', onAbort);
    }
  };

  // A job whose owner died may have left its agent running: stop it once (see orphans.ts).
  const orphansChecked = new Set<string>();
  const settle = (job: JobRecord): JobRecord => {
    if (!lostOwner(job) || orphansChecked.has(job.id)) return job;
    orphansChecked.add(job.id);
    try {
      if (stopOrphanedAgent(job, deps.orphanProbe)) logger.warn(`job ${job.id}: stopped its agent (process group ${job.childPid}), left running when its owner died`);
    } catch (error) {
      logger.debug(`could not check the agent of job ${job.id}: ${(error as Error).message}`);
    }
    return job;
  };

  // A job that cannot run (its agent vanished from the config, the store failed): fail it with the reason.
  const failUnrunnable = (job: JobRecord, error: unknown): RunResult => {
    const reason = `The job could not run: ${(error as Error).message}`;
    try {
      deps.store.finish(job.id, { status: 'failed', reason });
    } catch (finishError) {
      logger.error(`could not record the failure of job ${job.id}: ${(finishError as Error).message}`);
    }
    return failedResult({ name: job.agent, runtime: 'claude' }, { type: 'cli_error', message: reason });
  };

  const service: DispatchService = {
    async dispatch(request, options = {}): Promise<DispatchOutcome> {
      const config = deps.config();
      syncCache(config);
      const runRequest = prepareRun(config, request); // validates before anything is stored
      const agent = runRequest.agent;
      // An isolated run's answer names its own worktree: asking again means a new attempt, not a cached one.
      const useCache = options.useCache === true && !request.sessionId && !isolated(runRequest) && config.settings.cache.enabled;
      let key: string | undefined;
      if (useCache) {
        key = cacheKey({
          agent: agent.name,
          task: request.task,
          context: runRequest.context ?? '',
          caller: request.caller ?? '',
          goal: request.goal ?? '',
          group: request.group ?? '',
          responseFormat: request.responseFormat ?? '',
          agentFingerprint: fingerprint(agent),
          projectState: (await deps.projectState?.(agent.directory)) ?? '',
        });
        const hit = cache.get(key);
        if (hit) return { jobId: hit.jobId, result: hit.result, cached: true };
      }
      const job = deps.store.create({ kind: options.kind ?? 'sync', request, prompt: buildPrompt(runRequest), ...(deps.self ? { owner: deps.self } : {}) });
      options.onJob?.(job.id);
      const result = await run(config, job, runRequest, options);
      const budgetExceeded = agent.maxBudgetUsd !== undefined && result.costUsd > agent.maxBudgetUsd;
      if (key && result.ok && result.permissionDenials.length === 0 && !budgetExceeded) cache.set(key, { jobId: job.id, result }, agent.name);
      return { jobId: job.id, result, cached: false, ...(budgetExceeded ? { budgetExceeded } : {}) };
    },

    async start(request) {
      const config = deps.config();
      const runRequest = prepareRun(config, request);
      if (!deps.startSupervisor) throw new DispatchError('INVALID_INPUT', 'Background jobs are not available in this process.');
      // Refuse before anything is stored or spawned; the supervisor checks again when the job gets its turn.
      const refusal = checkDailyBudget(config, runRequest.agent.name, deps.store, now());
      if (refusal) throw new DispatchError('BUDGET_EXCEEDED', refusal.message, refusal.hint ? { hint: refusal.hint } : {});
      const job = deps.store.create({ kind: 'async', request, prompt: buildPrompt(runRequest), ...(deps.self ? { owner: deps.self } : {}) });
      try {
        const pid = deps.startSupervisor(job.id);
        // Hand the job to the supervisor at once: if this server dies before the supervisor starts (node takes
        // 100-300 ms), the job must not be failed as "owner exited".
        deps.store.claim(job.id, processRef(pid));
      } catch (error) {
        const reason = `Could not start the background job runner: ${(error as Error).message}`;
        deps.store.finish(job.id, { status: 'failed', reason });
        throw new DispatchError('SPAWN_FAILED', reason, { hint: 'Run `agent-dispatch doctor`.' });
      }
      return deps.store.get(job.id);
    },

    async runJob(jobId, signal) {
      const job = deps.store.get(jobId);
      if (!deps.store.claim(jobId, deps.self ?? currentProcess())) return job.result;
      try {
        const config = deps.config();
        return await run(config, job, prepareRun(config, job.request), signal ? { signal } : {});
      } catch (error) {
        return failUnrunnable(job, error);
      }
    },

    status: (jobId) => settle(deps.store.get(jobId)),

    async wait(jobId, timeoutMs, signal) {
      const waited = await deps.store.waitFor(jobId, { timeoutMs, ...(signal ? { signal } : {}) });
      return { ...waited, job: settle(waited.job) };
    },

    async cancel(jobId) {
      const { outcome, job } = deps.store.requestCancel(jobId);
      if (outcome !== 'requested') return { outcome: outcome satisfies CancelOutcome, job: settle(job) };
      const local = inflight.get(jobId);
      local?.controller.abort();
      // Another process owns it: its store watcher sees the request and stops the job within a second.
      const waited = await deps.store.waitFor(jobId, { timeoutMs: local ? 10_000 : 2_000 });
      if (waited.timedOut) return { outcome: 'cancel_requested', job: settle(waited.job) };
      // It ended during the wait: by our cancel, or on its own just before it.
      return { outcome: waited.job.status === 'cancelled' ? 'cancelled_running' : 'already_terminal', job: settle(waited.job) };
    },

    jobs(filter) {
      const rows = deps.store.list(filter);
      for (const row of rows) if (lostOwner(row) && !orphansChecked.has(row.id)) settle(deps.store.get(row.id));
      return rows;
    },
    gc: (days) => deps.store.gc(days),
    cacheStats: () => cache.stats(),
    clearCache: () => cache.clear(),
    maxConcurrency: () => deps.config().settings.max_concurrency,

    async abortAll(reason) {
      if (inflight.size === 0) return;
      logger.info(`stopping ${inflight.size} running dispatch(es): ${reason}`);
      const entries = [...inflight.values()];
      // Note each agent's whole tree before it starts to shut down: tools in groups of their own would be orphaned.
      const trees = entries.map((entry) => (entry.pgid ? descendantsOf(entry.pgid) : []));
      for (const entry of entries) entry.controller.abort();
      // The session ends with SIGKILL about 600 ms after SIGINT: do not rely on the runner's grace period.
      // Not unref'd: stdin EOF may leave nothing else keeping the process alive until the kill pass has run.
      await new Promise((resolve) => setTimeout(resolve, 250));
      entries.forEach((entry, i) => {
        if (entry.pgid) signalGroup(entry.pgid, 'SIGKILL');
        killMarked(trees[i] ?? []);
      });
    },
  };
  return service;
}
