// The pool as the dashboard reads it: the same questions the local job store answers (lists, counts, a job, its
// timeline, spend per day and agent, the change feed), answered from the records every host shares in Redis.
import type { Redis } from 'ioredis';
import type { ChangeBatch, CostTotals, DailyCost, JobEvent, JobSummary, ListQuery } from '../jobs/store/types.js';
import type { JobRecord } from '../jobs/types.js';
import { DispatchError } from '../shared/errors.js';
import { readCostRows, summarizeCosts, type HostCost } from './costs.js';
import { createPoolFeed, readRows } from './feed.js';
import { readHistory } from './history.js';
import { K } from './keys.js';
import { toSummary } from './records.js';

/** Jobs looked at, newest first, for one list or count (older ones stay visible to `jobs`' own paging). */
export const VIEW_SCAN_MAX = 10_000;
const CHUNK = 500;
const DAY_MS = 86_400_000;

/** The pool's jobs as the dashboard reads them. */
export interface PoolJobView {
  /** Pool jobs carry the host that ran them. */
  readonly hosts: true;
  list(query?: ListQuery): Promise<JobSummary[]>;
  count(query?: ListQuery): Promise<number>;
  get(id: string): Promise<JobRecord>;
  events(id: string, options?: { after?: number; limit?: number }): Promise<{ events: JobEvent[]; dropped: number }>;
  costsByDay(options: { days: number; agent?: string; utcOffsetMinutes?: number }): Promise<DailyCost[]>;
  costsByAgent(options?: { since?: number; agent?: string }): Promise<CostTotals[]>;
  costsByHost(options: { since: number }): Promise<HostCost[]>;
  currentSeq(): Promise<number>;
  changesSince(seq: number, limit?: number): Promise<ChangeBatch>;
  subscribe(listener: (batch: ChangeBatch) => void, options?: { since?: number }): () => void;
  close(): Promise<void>;
}

/** What it is built from: a connection, and the dispatcher's read of one job (which also notices lost workers). */
export interface PoolViewDeps {
  redis: Redis;
  status: (id: string) => Promise<JobRecord>;
  now?: () => number;
  pollMs?: number;
}

// True when a row passes a list's filters (pure).
export function matchesQuery(job: JobSummary, query: ListQuery): boolean {
  const statuses = query.status === undefined ? undefined : Array.isArray(query.status) ? query.status : [query.status];
  return (!statuses || statuses.includes(job.status)) && (!query.agent || job.agent === query.agent) && (!query.caller || job.caller === query.caller);
}

// Midnight (local) `days - 1` days ago: the start of a `days`-day window ending today.
function windowStart(now: number, days: number): number {
  const d = new Date(now);
  d.setHours(0, 0, 0, 0);
  return d.getTime() - (days - 1) * DAY_MS;
}

// Build the view; the change feed starts watching at once.
export function createPoolJobView(deps: PoolViewDeps): PoolJobView {
  const { redis } = deps;
  const now = deps.now ?? Date.now;
  const feed = createPoolFeed({ redis, now, ...(deps.pollMs ? { pollMs: deps.pollMs } : {}) });

  // Matching rows, newest first, until `want` are found (or the scan limit).
  const scan = async (query: ListQuery, want: number): Promise<JobSummary[]> => {
    const found: JobSummary[] = [];
    for (let start = 0; start < VIEW_SCAN_MAX && found.length < want; start += CHUNK) {
      const ids = await redis.zrevrange(K.jobs, start, start + CHUNK - 1);
      for (const f of await readRows(redis, ids)) {
        if (!f) continue; // expired record whose id gc has not removed yet
        const job = toSummary(f);
        if (matchesQuery(job, query)) found.push(job);
      }
      if (ids.length < CHUNK) break;
    }
    return found;
  };

  return {
    hosts: true,
    async list(query = {}) {
      const offset = query.offset ?? 0;
      return (await scan(query, offset + (query.limit ?? 50))).slice(offset, offset + (query.limit ?? 50));
    },
    count: async (query = {}) => (await scan(query, Infinity)).length,
    async get(raw) {
      const id = raw.trim().toLowerCase();
      if (!/^[0-9a-f]{32}$/.test(id)) throw new DispatchError('INVALID_INPUT', 'Malformed job id: a job id is 32 lowercase hex characters.');
      return deps.status(id);
    },
    events: (id, options) => readHistory(redis, id, options),
    async costsByDay({ days, agent }) {
      return summarizeCosts(await readCostRows(redis, windowStart(now(), days), agent)).byDay;
    },
    costsByAgent: async ({ since, agent } = {}) => summarizeCosts(await readCostRows(redis, since ?? 0, agent)).byAgent,
    costsByHost: async ({ since }) => summarizeCosts(await readCostRows(redis, since)).byHost,
    currentSeq: () => feed.currentSeq(),
    changesSince: (seq, limit) => feed.changesSince(seq, limit),
    subscribe: (listener, options) => feed.subscribe(listener, options),
    close: () => feed.close(),
  };
}
