// The job store's public shapes: what the dispatch service, the supervisor, MCP tools, the CLI and the dashboard see.
import type { PromptParts } from '../../runner/index.js';
import type { Logger } from '../../shared/log.js';
import type { ApprovalAnswer, ApprovalDecision, ApprovalRequest } from '../../shared/approvals.js';
import type { RunEvent, RunResult } from '../../shared/types.js';
import type { DispatchRequest, JobKind, JobProgress, JobRecord, JobStatus } from '../types.js';
import type { Migration } from './migrations.js';
import type { IsAlive, ProcessRef } from './process.js';

/** Terminal states a job can be finished with. */
export type TerminalStatus = Extract<JobStatus, 'done' | 'failed' | 'cancelled'>;

/** Input of raiseApproval(). */
export interface RaiseApprovalInput {
  toolName: string;
  input: unknown;
  toolUseId?: string;
  /** Epoch ms after which nobody's answer counts and the request is denied. */
  expiresAt: number;
}

/** Options of createJobStore. */
export interface JobStoreOptions {
  /** Database file, e.g. `$XDG_STATE_HOME/agent-dispatch/jobs.db` (resolved by config/paths.ts). */
  path: string;
  now?: () => number;
  logger?: Logger;
  /** How long a write waits for another process's lock before STORE_UNAVAILABLE (default 10,000 ms). */
  busyTimeoutMs?: number;
  /** How often other processes' commits are looked for while someone waits (default 25 ms). */
  pollIntervalMs?: number;
  /** How often owners and lease holders are re-checked for liveness while someone waits (default 500 ms). */
  livenessIntervalMs?: number;
  /** Events kept per job; older ones are dropped, the first (init) is kept (default 1000). */
  maxEventsPerJob?: number;
  isAlive?: IsAlive;
  /** The identity recorded as owner when none is given (default: this process). */
  self?: ProcessRef;
  /** Schema migrations (tests pass a prefix to build an older database). */
  migrations?: readonly Migration[];
}

/** Input of create(). */
export interface CreateJobInput {
  kind: JobKind;
  request: DispatchRequest;
  prompt?: string;
  /** What the prompt was built from (the run request fits); the task is taken from `request`. */
  promptParts?: Omit<PromptParts, 'task'>;
  /** Process responsible for the job while pending (default: this process). */
  owner?: ProcessRef;
  /** The job answers an MCP tool call as a task: its link is written in the same transaction. */
  task?: TaskLinkInput;
}

/** What a tool call answered as an MCP task records beside its job. */
export interface TaskLinkInput {
  /** The tool that was called. */
  tool: string;
  /** The tool's arguments that shape the answer but are not part of the request (return_ref, label, …). */
  shape: Record<string, unknown>;
  /** Who may read the task: the hash of the HTTP bearer token; absent over stdio. */
  principal?: string;
}

/** A job's MCP task link, as stored. */
export interface TaskLink extends TaskLinkInput {
  jobId: string;
  createdAt: number;
  /** Questions the run asks the person (key → request), answered through tasks/update. */
  inputRequests: Record<string, unknown>;
  /** Answers received so far (key → response); a key is answered once. */
  inputResponses: Record<string, unknown>;
}

/** One item of an MCP task group: the job running it, or the entry it was answered with at the start. */
export interface TaskGroupMember {
  agent: string;
  jobId?: string;
  /** The item's answer shape (return_ref, summary_chars). */
  shape: Record<string, unknown>;
  /** The item's entry when it was answered at the start, without a job (refused, or from the cache). */
  answer?: Record<string, unknown>;
}

/** What a tool call answered as one task over several jobs records. */
export interface TaskGroupInput {
  tool: string;
  principal?: string;
  members: TaskGroupMember[];
}

/** An MCP task group as stored; its id is as unguessable as a job id (and has the same form). */
export interface TaskGroup extends TaskGroupInput {
  id: string;
  createdAt: number;
}

/** One row of list(): compact, without the request or result bodies. */
export interface JobSummary {
  id: string;
  kind: JobKind;
  status: JobStatus;
  agent: string;
  caller: string;
  /** The first 200 characters of the task. */
  task: string;
  createdAt: number;
  startedAt?: number;
  endedAt?: number;
  /** Final cost, or the cost so far while running. */
  costUsd?: number;
  /** Set once terminal: did the run succeed? */
  ok?: boolean;
  errorType?: string;
  turns: number;
  lastTool?: string;
  /** Newest progress line. */
  lastLine?: string;
  cancelRequested: boolean;
  /** Why the job failed or was cancelled outside the runner (owner died, cancelled before it started). */
  failureReason?: string;
  /** The worker host that ran it (pool mode only). */
  host?: string;
  /** Permission requests of the agent waiting for an answer (the job shows as input_required). */
  approvalsPending?: number;
}

/** Filters of list(). Newest first. */
export interface ListQuery {
  status?: JobStatus | JobStatus[];
  agent?: string;
  caller?: string;
  /** Default 50. */
  limit?: number;
  offset?: number;
  /** Cursor: only jobs created before this job id (the last id of the previous page). */
  before?: string;
}

/** How finish() ends a job. */
export interface FinishInput {
  status: TerminalStatus;
  result?: RunResult;
  /** Why the job failed or was cancelled outside the runner. */
  reason?: string;
  /** The last progress snapshot and the events not yet saved, written in the same transaction. */
  progress?: JobProgress;
  events?: readonly RunEvent[];
  /** A lease of this store to release in the same transaction (the slot is free once the job has ended). */
  release?: Lease;
}

/** A slot to take together with a new job, when one is free at once. */
export interface SlotRequest {
  limit: number;
  /** '' (default): settings.max_concurrency; `job:<id>`: the one slot of a parent job's nested dispatches. */
  pool?: string;
  holder?: ProcessRef;
}

/** What requestCancel() did. `cancelled`: was pending, now cancelled; `requested`: running, the owner will stop it. */
export type CancelRequestOutcome = 'cancelled' | 'requested' | 'already_terminal';

/** Result of waitFor(). */
export interface WaitResult {
  job: JobRecord;
  /** True when the wait ended on timeout with the job still active. */
  timedOut: boolean;
}

/** One stored timeline event. */
export interface JobEvent {
  /** Monotonic across the store: pass the last one to events() to follow a job. */
  seq: number;
  jobId: string;
  at: number;
  event: RunEvent;
}

/** A job whose row changed, as seen by the change feed. */
export interface JobChange extends JobSummary {
  /** Store-wide change sequence of this job's latest change. */
  seq: number;
}

/** Result of changesSince(). Changes are coalesced: a job appears once, with its latest state. */
export interface ChangeBatch {
  changes: JobChange[];
  /** Pass this to the next changesSince() call. */
  seq: number;
  /** Jobs were deleted (gc) since the given seq: reload the list instead of patching it. */
  purged: boolean;
}

/** Options of acquireLease(). */
export interface LeaseRequest {
  /** Maximum number of leases held at once across every process sharing the database (in this pool). */
  limit: number;
  /** Which limit: '' (default) is the global one; see SlotRequest. */
  pool?: string;
  jobId?: string;
  /** Holder identity (default: this process). */
  holder?: ProcessRef;
  signal?: AbortSignal;
  /** Give up after this long, rejecting with a DOMException named TimeoutError. */
  timeoutMs?: number;
}

/** A held concurrency slot. release() is idempotent; false when the store could not write (try again). */
export interface Lease {
  readonly id: number;
  readonly pool: string;
  release(): boolean;
}

/** Who holds and who waits for slots (dashboard, doctor). */
export interface LeaseState {
  held: { id: number; jobId?: string; pid: number; acquiredAt: number }[];
  waiting: { jobId?: string; pid: number; since: number }[];
}

/** Total spend over a period. */
export interface Spend {
  costUsd: number;
  runs: number;
}

/** Cost ledger totals for one agent (optionally one day). */
export interface CostTotals {
  agent: string;
  runs: number;
  ok: number;
  failed: number;
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
  durationMs: number;
}

/** Cost ledger totals for one agent on one day (local calendar day, YYYY-MM-DD). */
export interface DailyCost extends CostTotals {
  day: string;
}

/** The job store: one SQLite database shared by every server, supervisor and CLI process of the user. */
export interface JobStore {
  readonly path: string;
  /** Records a pending job and returns it. */
  create(input: CreateJobInput): JobRecord;
  /** create(), taking a slot in the same transaction when one is free at once (no waiter ahead): the job is then
   *  running already. */
  createWithSlot(input: CreateJobInput, slot: SlotRequest): { job: JobRecord; lease?: Lease };
  /** The full record, as stored (reads never write: see recoverStale). Throws INVALID_INPUT for a malformed id,
   *  JOB_NOT_FOUND for an unknown one. */
  get(id: string): JobRecord;
  /** Compact summaries, newest first. */
  list(query?: ListQuery): JobSummary[];
  /** Number of jobs matching the filters (limit/offset/before are ignored). */
  count(query?: ListQuery): number;
  /** Hands a pending job to another owner (e.g. the detached supervisor). False if it is no longer pending. */
  claim(id: string, owner: ProcessRef): boolean;
  /** pending → running. False if the job is no longer pending (cancelled meanwhile). */
  markRunning(id: string, options?: { owner?: ProcessRef; childPid?: number }): boolean;
  /** Records the agent's process (group) id once spawned. */
  setChild(id: string, childPid: number): void;
  /** Saves the live snapshot, and optionally appends timeline events in the same transaction. Callers throttle. */
  saveProgress(id: string, progress: JobProgress, events?: readonly RunEvent[]): void;
  /** Appends timeline events (truncated to sane sizes, capped per job). */
  appendEvents(id: string, events: readonly RunEvent[]): void;
  /** The job's timeline, oldest first; `after` is the seq of the last event already seen. */
  events(id: string, options?: { after?: number; limit?: number }): { events: JobEvent[]; dropped: number };
  /** Ends an active job. No-op returning false if it is already terminal (a cancel that won is kept). */
  finish(id: string, input: FinishInput): boolean;
  /** Cancels a pending job at once; asks the owner of a running job to stop it. */
  requestCancel(id: string): { outcome: CancelRequestOutcome; job: JobRecord };
  isCancelRequested(id: string): boolean;
  /** Calls `listener` once when a cancel is requested for the job or it ends; returns an unsubscribe function. */
  onCancelRequested(id: string, listener: () => void): () => void;
  /** Resolves when the job is terminal, or with the current record after timeoutMs. Rejects with signal.reason. */
  waitFor(id: string, options?: { timeoutMs?: number; signal?: AbortSignal }): Promise<WaitResult>;
  /** Coalesced job changes after `seq` (0: from the start), oldest change first. */
  changesSince(seq: number, limit?: number): ChangeBatch;
  /** The current change sequence (start a feed from here to get only new changes). */
  currentSeq(): number;
  /** Calls `listener` with every batch of changes after `since` (default: now), from any process. */
  subscribe(listener: (batch: ChangeBatch) => void, options?: { since?: number }): () => void;
  /** Deletes terminal jobs that ended more than maxAgeDays ago (0: all terminal jobs). Returns the count. */
  gc(maxAgeDays: number): number;
  /** gc() for `job_retention_days`: 0 or less keeps everything. */
  applyRetention(retentionDays: number): number;
  /** Marks active jobs whose owner died as failed; returns how many. The dispatch service's sweep calls it. */
  recoverStale(): number;
  /** Waits for one of `limit` slots shared by every process; a dead holder's slot is reclaimed. */
  acquireLease(request: LeaseRequest): Promise<Lease>;
  leaseState(): LeaseState;
  /** Spend since a time (for daily budgets), from the cost ledger, optionally for one agent. */
  spend(options: { since: number; agent?: string }): Spend;
  /** Spend per agent per local day over the last `days` days (today included), newest day first. */
  costsByDay(options: { days: number; agent?: string; utcOffsetMinutes?: number }): DailyCost[];
  /** Totals per agent since a time (default: all time), highest cost first. */
  costsByAgent(options?: { since?: number; agent?: string }): CostTotals[];
  /** The MCP task link of a job, or undefined when it was not started as a task. */
  taskLink(id: string): TaskLink | undefined;
  /** Adds questions for the person to a task (input_required); false when the job has no link. */
  askInput(id: string, requests: Record<string, unknown>): boolean;
  /** Stores answers to outstanding questions; returns the keys kept, undefined when the job has no link. */
  answerInput(id: string, responses: Record<string, unknown>): string[] | undefined;
  /** Records a permission request of a running job's agent (approvals `ask`); it waits for decideApproval. */
  raiseApproval(jobId: string, input: RaiseApprovalInput): ApprovalRequest;
  /** The job's requests still waiting for an answer, oldest first (what a caller must answer: the Tasks path reads this). */
  pendingApprovals(jobId: string): ApprovalRequest[];
  /** Every request of the job, answered or not, oldest first. */
  approvals(jobId: string): ApprovalRequest[];
  /** One request of the job, answered or not (undefined: no such request). */
  approval(jobId: string, requestId: string): ApprovalRequest | undefined;
  /** Changes the note, and maybe the decision, of an answered request (allow always that could not add its rule). */
  amendApproval(jobId: string, requestId: string, change: { note: string; decision: ApprovalDecision }): ApprovalRequest;
  /** Answers a request; the first answer wins. `already_decided` returns the answer that won. */
  decideApproval(jobId: string, requestId: string, answer: ApprovalAnswer): { outcome: 'decided' | 'already_decided'; request: ApprovalRequest };
  /** Stores a task group with a new random id. */
  createTaskGroup(input: TaskGroupInput): TaskGroup;
  /** The task group with this id, or undefined. */
  taskGroup(id: string): TaskGroup | undefined;
  /** Releases this store's leases, stops watchers and closes the database. */
  close(): void;
}
