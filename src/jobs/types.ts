// Job records: every dispatch, sync or async, is a job with an id in the shared SQLite store.
import type { PromptParts } from '../runner/index.js';
import type { ProgressSnapshot } from '../shared/progress.js';
import type { RunResult } from '../shared/types.js';

/** Job states of the reference. Terminal: done, failed, cancelled. */
export const JOB_STATUSES = ['pending', 'running', 'done', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** How the job was started. */
export type JobKind = 'sync' | 'async';

/** What the caller asked for, before the agent is resolved (stored so a supervisor process can run it). */
export interface DispatchRequest {
  agent: string;
  task: string;
  context?: string;
  caller?: string;
  goal?: string;
  group?: string;
  /** 'json' asks for structured output. */
  responseFormat?: 'json' | '';
  timeoutSeconds?: number;
  /** Continue this session (dispatch_session). */
  sessionId?: string;
  /** Overrides the agent's isolation. */
  isolation?: 'none' | 'worktree';
  /** With isolation worktree: the branch, tag or commit to start from. */
  baseRef?: string;
}

/** A live snapshot of what the agent is doing, saved as events arrive (built by shared/progress.ts). */
export type JobProgress = ProgressSnapshot;

/** One job as stored. Times are epoch milliseconds. */
export interface JobRecord {
  id: string;
  kind: JobKind;
  status: JobStatus;
  agent: string;
  caller: string;
  request: DispatchRequest;
  /** The prompt as sent to the agent. */
  prompt?: string;
  /** What that prompt was built from (absent for jobs stored before schema version 4). */
  promptParts?: PromptParts;
  createdAt: number;
  startedAt?: number;
  endedAt?: number;
  /** The process that owns the run (server or supervisor), with its start time to detect pid reuse. */
  ownerPid?: number;
  ownerStartedAt?: number;
  /** The agent process group, killed on cancel. */
  childPid?: number;
  cancelRequested: boolean;
  progress: JobProgress;
  result?: RunResult;
  /** Why a job failed outside the runner (owner died, store error). */
  failureReason?: string;
  /** The worker host that ran it (pool mode only). */
  host?: string;
}
