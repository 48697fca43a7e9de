// The dispatch service contract: what the MCP tools, the CLI and the dashboard call to run agents and read jobs.
import type { RunEvent, RunResult } from '../shared/types.js';
import type { ApprovalAnswer, ApprovalRequest, AskCaller } from '../shared/approvals.js';
import type { CacheStats } from '../cache/cache.js';
import type { DispatchRequest, JobKind, JobRecord, JobStatus } from './types.js';
import type { CancelRequestOutcome, JobSummary, TaskGroup, TaskGroupInput, TaskLink, TaskLinkInput } from './store/types.js';

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
  /** Approvals `ask`: puts a permission request to the caller (elicitation); built by the server for clients that can answer. */
  askCaller?: AskCaller;
}

/** How a cancel ended. */
export type CancelOutcome = 'cancelled' | 'cancelled_running' | 'cancel_requested' | 'already_terminal';

/** A value now (the local SQLite store) or later (the Redis worker pool). */
export type Awaitable<T> = T | Promise<T>;

/** The service every front end shares: the local service (service.ts) or the worker pool (src/pool/). */
export interface Dispatcher {
  dispatch(request: DispatchRequest, options?: DispatchCallOptions): Promise<DispatchOutcome>;
  /** Start a background job; returns at once. With `task`, the job answers an MCP tool call as a task and its
   *  link is stored with it (durable before this returns; only where `tasks` is set). */
  start(request: DispatchRequest, options?: { task?: TaskLinkInput }): Promise<JobRecord>;
  status(jobId: string): Awaitable<JobRecord>;
  wait(jobId: string, timeoutMs: number, signal?: AbortSignal): Promise<{ job: JobRecord; timedOut: boolean }>;
  cancel(jobId: string): Promise<{ outcome: CancelOutcome; job: JobRecord }>;
  jobs(filter: { status?: JobStatus; agent?: string; limit: number }): Awaitable<JobSummary[]>;
  gc(maxAgeDays: number): Awaitable<number>;
  /** What MCP Tasks need; set by the local service, absent in pool mode (calls there answer synchronously). */
  readonly tasks?: TaskJobs;
  cacheStats(): CacheStats;
  clearCache(): number;
  /** Highest number of agent processes allowed at once (settings.max_concurrency). */
  maxConcurrency(): number;
  /** Answers a permission request of a job whose agent waits (approvals `ask`); the first answer wins. */
  reply(jobId: string, requestId: string, answer: ApprovalAnswer): Promise<{ outcome: 'decided' | 'already_decided'; request: ApprovalRequest }>;
  /** Abort every run this process owns and kill their process groups (server shutdown). */
  abortAll(reason: string): Promise<void>;
}

/** The job reads and writes behind MCP Tasks: synchronous, from the local job store. */
export interface TaskJobs {
  status(jobId: string): JobRecord;
  /** A cached answer for this dispatch, if the cache holds one for the project's current state. */
  cachedAnswer(request: DispatchRequest): Promise<DispatchOutcome | undefined>;
  /** Ask for a cancel and return at once (the owner stops the run within a second); calling it again is harmless. */
  requestCancel(jobId: string): { outcome: CancelRequestOutcome; job: JobRecord };
  /** The MCP task link of a job (undefined: the job was not started as a task). */
  taskLink(jobId: string): TaskLink | undefined;
  /** Stores a task's answers to outstanding questions; the keys kept, undefined when the job has no link. */
  answerInput(jobId: string, responses: Record<string, unknown>): string[] | undefined;
  /** Stores an MCP task group (one task over several jobs) under a new random id. */
  createTaskGroup(input: TaskGroupInput): TaskGroup;
  /** The task group with this id, or undefined. */
  taskGroup(id: string): TaskGroup | undefined;
  /** settings.job_retention_days: how long a finished job is kept (0: forever). */
  retentionDays(): number;
  /** Answers a permission request of a task's agent (tasks/update with an answer keyed by the request id). */
  reply: Dispatcher['reply'];
}
