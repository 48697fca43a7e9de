// The dispatch service contract: what the MCP tools, the CLI and the dashboard call to run agents and read jobs.
import type { RunEvent, RunResult } from '../shared/types.js';
import type { CacheStats } from '../cache/cache.js';
import type { DispatchRequest, JobKind, JobRecord, JobStatus } from './types.js';
import type { JobSummary } from './store/types.js';

/** A finished dispatch. */
export interface DispatchOutcome {
  jobId: string;
  result: RunResult;
  cached: boolean;
  /** The run cost more than the agent's max_budget_usd without the CLI stopping it. */
  budgetExceeded?: boolean;
}

/** Per-call options of a synchronous dispatch. */
export interface DispatchCallOptions {
  signal?: AbortSignal;
  /** Each event of the run, with its progress line when it deserves one (one tracker serves store and caller). */
  onEvent?: (event: RunEvent, line?: string) => void;
  /** Called once the job id exists, before the agent starts (the first progress message carries it). */
  onJob?: (jobId: string) => void;
  /** Answer from and store into the cache (plain dispatch only; sessions, streams and dialogues never cache). */
  useCache?: boolean;
  kind?: JobKind;
}

/** How a cancel ended. */
export type CancelOutcome = 'cancelled' | 'cancelled_running' | 'cancel_requested' | 'already_terminal';

/** A value now (the local SQLite store) or later (the Redis worker pool). */
export type Awaitable<T> = T | Promise<T>;

/** The service every front end shares: the local service (service.ts) or the worker pool (src/pool/). */
export interface Dispatcher {
  dispatch(request: DispatchRequest, options?: DispatchCallOptions): Promise<DispatchOutcome>;
  /** Start a background job in a detached supervisor; returns at once. */
  start(request: DispatchRequest): Promise<JobRecord>;
  status(jobId: string): Awaitable<JobRecord>;
  wait(jobId: string, timeoutMs: number, signal?: AbortSignal): Promise<{ job: JobRecord; timedOut: boolean }>;
  cancel(jobId: string): Promise<{ outcome: CancelOutcome; job: JobRecord }>;
  jobs(filter: { status?: JobStatus; agent?: string; limit: number }): Awaitable<JobSummary[]>;
  gc(maxAgeDays: number): Awaitable<number>;
  cacheStats(): CacheStats;
  clearCache(): number;
  /** Highest number of agent processes allowed at once (settings.max_concurrency). */
  maxConcurrency(): number;
  /** Abort every run this process owns and kill their process groups (server shutdown). */
  abortAll(reason: string): Promise<void>;
}
