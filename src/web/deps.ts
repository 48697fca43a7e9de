// What the dashboard is built from: the job store for reading, the dispatcher for actions, and two views of
// the config (agents with their health, daily budgets). Passed in, so tests hand it a temp store.
import type { Config } from '../config/schema.js';
import type { Dispatcher } from '../jobs/dispatcher.js';
import type { ChangeBatch, CostTotals, DailyCost, JobEvent, JobStore, JobSummary, ListQuery } from '../jobs/store/types.js';
import type { JobRecord } from '../jobs/types.js';
import type { Logger } from '../shared/log.js';

/** One configured agent as the agents page shows it. */
export interface AgentInfo {
  name: string;
  directory: string;
  description?: string;
  runtime?: string;
  healthy: boolean;
  /** Why it is not healthy (missing directory, unknown runtime…). */
  problem?: string;
  /** Pool mode: the hosts whose live workers serve it (its directory is theirs, not this machine's). */
  hosts?: string[];
}

/** Daily spending caps from the config (settings.daily_budget_usd and agents.<name>.daily_budget_usd). */
export interface Budgets {
  daily?: number;
  agents: Record<string, number>;
}

type Maybe<T> = T | Promise<T>;

/** Totals of one worker host (pool mode). */
export interface HostTotals {
  host: string;
  runs: number;
  ok: number;
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
}

/** Where the pages read jobs, timelines, spend and changes: the local job store, or the worker pool's records. */
export interface JobSource {
  /** Jobs carry the host that ran them (pool mode): lists get a Host column, costs a per-host table. */
  readonly hosts: boolean;
  list(query?: ListQuery): Maybe<JobSummary[]>;
  count(query?: ListQuery): Maybe<number>;
  get(id: string): Maybe<JobRecord>;
  events(id: string, options?: { after?: number; limit?: number }): Maybe<{ events: JobEvent[]; dropped: number }>;
  costsByDay(options: { days: number; utcOffsetMinutes?: number }): Maybe<DailyCost[]>;
  costsByAgent(options?: { since?: number }): Maybe<CostTotals[]>;
  costsByHost?(options: { since: number }): Maybe<HostTotals[]>;
  currentSeq(): Maybe<number>;
  changesSince(seq: number, limit?: number): Maybe<ChangeBatch>;
  subscribe(listener: (batch: ChangeBatch) => void, options?: { since?: number }): () => void;
}

// The local job store as a source (its answers are synchronous).
export function storeSource(store: JobStore): JobSource {
  return {
    hosts: false,
    list: (query) => store.list(query),
    count: (query) => store.count(query),
    get: (id) => store.get(id),
    events: (id, options) => store.events(id, options),
    costsByDay: (options) => store.costsByDay(options),
    costsByAgent: (options) => store.costsByAgent(options),
    currentSeq: () => store.currentSeq(),
    changesSince: (seq, limit) => store.changesSince(seq, limit),
    subscribe: (listener, options) => store.subscribe(listener, options),
  };
}

/** The dashboard's dependencies. */
export interface WebDeps {
  store: JobStore;
  /** What the pages read; default the local store. In pool mode, the pool's view (every host's jobs). */
  source?: JobSource;
  /** Only cancel and reply (approvals) are used: the dashboard starts no agents. */
  dispatcher: Pick<Dispatcher, 'cancel' | 'reply'>;
  /** The configured agents with their health (may check the disk, hence the promise). */
  agents: () => AgentInfo[] | Promise<AgentInfo[]>;
  budgets: () => Budgets;
  /** The per-install access token. */
  token: string;
  /** Where the token is stored, for the sign-in page to name. */
  tokenFile?: string;
  /** The listening port (for the Host and Origin checks and the cookie name). */
  port: () => number;
  logger?: Logger;
  now?: () => number;
  /** The `git diff` of an isolated run's worktree against its base, by worktree id (issue 19); capped. */
  worktreeDiff?: (id: string) => Promise<{ text: string; truncated: boolean }>;
}

// Read the daily budgets out of a parsed config (pure).
export function budgetsFromConfig(config: Config): Budgets {
  const agents: Record<string, number> = {};
  for (const [name, agent] of Object.entries(config.agents)) if (agent.daily_budget_usd !== undefined) agents[name] = agent.daily_budget_usd;
  return { ...(config.settings.daily_budget_usd !== undefined ? { daily: config.settings.daily_budget_usd } : {}), agents };
}
