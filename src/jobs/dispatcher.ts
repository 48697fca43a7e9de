// The dispatch service contract: what the MCP tools, the CLI and the dashboard call to run agents and read jobs.
import type { RunEvent, RunResult } from '../shared/types.js';
import type { ApprovalAnswer, ApprovalRequest, AskCaller } from '../shared/approvals.js';
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
  /** Approvals `ask`: puts a permission request to the caller (elicitation); built by the server for clients that can answer. */
  askCaller?: AskCaller;
}

/** How a cancel ended. */
export type CancelOutcome = 'cancelled' | 'cancelled_running' | 'cancel_requested' | 'already_terminal';

/** The service every front end shares. */
export interface Dispatcher {
  dispatch(request: DispatchRequest, options?: DispatchCallOptions): Promise<DispatchOutcome>;
  /** Start a background job in a detached supervisor; returns at once. */
  start(request: DispatchRequest): Promise<JobRecord>;
  status(jobId: string): JobRecord;
  wait(jobId: string, timeoutMs: number, signal?: AbortSignal): Promise<{ job: JobRecord; timedOut: boolean }>;
  cancel(jobId: string): Promise<{ outcome: CancelOutcome; job: JobRecord }>;
  jobs(filter: { status?: JobStatus; agent?: string; limit: number }): JobSummary[];
  gc(maxAgeDays: number): number;
  cacheStats(): CacheStats;
  clearCache(): number;
  /** Highest number of agent processes allowed at once (settings.max_concurrency). */
  maxConcurrency(): number;
  /** Answers a permission request of a job whose agent waits (approvals `ask`); the first answer wins. */
  reply(jobId: string, requestId: string, answer: ApprovalAnswer): Promise<{ outcome: 'decided' | 'already_decided'; request: ApprovalRequest }>;
  /** Abort every run this process owns and kill their process groups (server shutdown). */
  abortAll(reason: string): Promise<void>;
}
