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
import { toSummary, type RecordFields } from './records.js';

/** Jobs looked at, newest first, for one list or count (older ones stay visible to `jobs`' own paging). */
export const VIEW_SCAN_MAX = 10_000;

// The filter runs in Redis: one round trip instead of a HMGET per job looked at (a page of one agent's jobs may
// look at thousands). Records are named from a prefix passed in, as `ad:jobs` holds only ids.
const SCAN_SCRIPT = `
local want, max, countAll = tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4] == '1'
local st, ag, ca = ARGV[5], ARGV[6], ARGV[7]
local found, total = {}, 0
for _, id in ipairs(redis.call('ZREVRANGE', KEYS[1], 0, max - 1)) do
  local f = redis.call('HMGET', ARGV[1] .. id, 'status', 'agent', 'caller')
  if f[1] and (st == '' or string.find(',' .. st .. ',', ',' .. f[1] .. ',', 1, true)) and (ag == '' or f[2] == ag) and (ca == '' or f[3] == ca) then
    total = total + 1
    if total <= want then found[#found + 1] = id end
    if total >= want and not countAll then break end
  end
end
return {total, found}`;
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

  // Ids of matching jobs, newest first: the first `want` of them and how many match in all (up to the scan limit).
  const scan = async (query: ListQuery, want: number, countAll: boolean): Promise<{ ids: string[]; total: number }> => {
    const statuses = query.status === undefined ? '' : Array.isArray(query.status) ? query.status.join(',') : query.status;
    const [total, ids] = (await redis.eval(SCAN_SCRIPT, 1, K.jobs, K.job(''), String(want), String(VIEW_SCAN_MAX), countAll ? '1' : '0', statuses, query.agent ?? '', query.caller ?? '')) as [number, string[]];
    return { ids, total };
  };
  // Spend rows, shared by the reports of one page (the costs page asks per day and per host at once).
  let costMemo: { key: string; at: number; rows: ReturnType<typeof readCostRows> } | undefined;
  const costRows = (since: number, agent?: string) => {
    const key = `${since}/${agent ?? ''}`;
    if (!costMemo || costMemo.key !== key || now() - costMemo.at > 1000) costMemo = { key, at: now(), rows: readCostRows(redis, since, agent) };
    return costMemo.rows;
  };

  return {
    hosts: true,
    async list(query = {}) {
      const offset = query.offset ?? 0;
      const ids = (await scan(query, offset + (query.limit ?? 50), false)).ids.slice(offset);
      return (await readRows(redis, ids)).filter((f): f is RecordFields => f !== undefined).map(toSummary);
    },
    // Unfiltered, the index's size (ids of records that expired count until `jobs gc` drops them).
    count: async (query = {}) => (query.status || query.agent || query.caller ? (await scan(query, 0, true)).total : Math.min(VIEW_SCAN_MAX, await redis.zcard(K.jobs))),
    async get(raw) {
      const id = raw.trim().toLowerCase();
      if (!/^[0-9a-f]{32}$/.test(id)) throw new DispatchError('INVALID_INPUT', 'Malformed job id: a job id is 32 lowercase hex characters.');
      return deps.status(id);
    },
    events: (id, options) => readHistory(redis, id, options),
    async costsByDay({ days, agent }) {
      return summarizeCosts(await costRows(windowStart(now(), days), agent)).byDay;
    },
    costsByAgent: async ({ since, agent } = {}) => summarizeCosts(await costRows(since ?? 0, agent)).byAgent,
    costsByHost: async ({ since }) => summarizeCosts(await costRows(since)).byHost,
    currentSeq: () => feed.currentSeq(),
    changesSince: (seq, limit) => feed.changesSince(seq, limit),
    subscribe: (listener, options) => feed.subscribe(listener, options),
    close: () => feed.close(),
  };
}
