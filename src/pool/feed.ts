// The pool's change feed for the dashboard: the local store's changesSince/subscribe, built from pool events.
// Job channels (`ad:ev:<id>`: every event and each job's end), the wake-up channel (a job was queued) and the cancel
// channel say which records to re-read; a 1 s poll of the job index and of the active jobs catches what no message
// announces (a job starting, a worker handing a job back). A record whose fields changed becomes a change with
// the next sequence number; recent changes stay in memory so a page can catch up from the sequence it was
// rendered at. Sequences start at the clock's ms, so after a restart an old page's sequence is behind and reloads.
import type { Redis } from 'ioredis';
import type { ChangeBatch, JobChange } from '../jobs/store/types.js';
import { K } from './keys.js';
import { toSummary, TERMINAL, type RecordFields } from './records.js';

/** The fields a list row is made of (and whose change is a change). */
export const ROW_FIELDS = ['id', 'kind', 'status', 'agent', 'caller', 'task', 'createdAt', 'startedAt', 'endedAt', 'cost', 'ok', 'errorType', 'progress', 'cancelRequested', 'failureReason', 'host'] as const;

/** Jobs whose last state is remembered to tell a change from a repeat. */
const SEEN_MAX = 5000;

/** What the feed is built from. */
export interface PoolFeedDeps {
  redis: Redis;
  now?: () => number;
  /** How often the index and the active jobs are re-read (default 1000 ms). */
  pollMs?: number;
  /** How long after a message its record is re-read (default 150 ms): events in between come as one change,
   *  and the worker's 250 ms flush of progress and timeline has usually landed. */
  settleMs?: number;
  /** Changes kept for catch-up (default 1000). */
  keep?: number;
  /** Jobs read at start (the newest ones) to know which are active. */
  recent?: number;
}

/** The feed. */
export interface PoolFeed {
  currentSeq(): Promise<number>;
  changesSince(seq: number, limit?: number): Promise<ChangeBatch>;
  subscribe(listener: (batch: ChangeBatch) => void, options?: { since?: number }): () => void;
  close(): Promise<void>;
}

// Rows from a pipeline of HMGETs of ROW_FIELDS; missing records come back undefined.
export async function readRows(redis: Redis, ids: readonly string[]): Promise<(RecordFields | undefined)[]> {
  if (ids.length === 0) return [];
  const pipe = redis.pipeline();
  for (const id of ids) pipe.hmget(K.job(id), ...ROW_FIELDS);
  return ((await pipe.exec()) ?? []).map(([, v]) => {
    const values = (v ?? []) as (string | null)[];
    if (values[0] === null || values[0] === undefined) return undefined;
    return Object.fromEntries(ROW_FIELDS.map((k, i) => [k, values[i] ?? undefined]).filter(([, x]) => x !== undefined)) as RecordFields;
  });
}

// Start watching at once (a page's sequence must mean something from its first render on).
export function createPoolFeed(deps: PoolFeedDeps): PoolFeed {
  const { redis } = deps;
  const now = deps.now ?? Date.now;
  const keep = deps.keep ?? 1000;
  const startSeq = now();
  let seq = startSeq;
  const log: JobChange[] = [];
  let trimmed = false;
  const seen = new Map<string, string>();
  const active = new Set<string>();
  const listeners = new Set<{ since: number; listener: (batch: ChangeBatch) => void }>();
  const due = new Set<string>();
  let lastScore = 0;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const refresh = async (ids: readonly string[]) => {
    const rows = await readRows(redis, ids);
    const changes: JobChange[] = [];
    rows.forEach((f, i) => {
      const id = ids[i]!;
      if (!f) return void active.delete(id);
      const raw = JSON.stringify(f);
      if (seen.get(id) === raw) return;
      seen.set(id, raw);
      if (TERMINAL.includes(f.status as never)) active.delete(id);
      else active.add(id);
      changes.push({ ...toSummary(f), seq: (seq += 1) });
    });
    // Forget the oldest finished jobs of a long-running dashboard (a later change of one is still seen as new).
    for (const id of seen.keys()) {
      if (seen.size <= SEEN_MAX) break;
      if (!active.has(id)) seen.delete(id);
    }
    if (changes.length === 0) return;
    log.push(...changes);
    if (log.length > keep) {
      log.splice(0, log.length - keep);
      trimmed = true;
    }
    const batch: ChangeBatch = { changes, seq, purged: false };
    for (const l of listeners) {
      const mine = changes.filter((c) => c.seq > l.since);
      if (mine.length > 0) l.listener({ ...batch, changes: mine });
    }
  };

  // New ids in the index since the last look, plus every active job.
  const poll = async () => {
    const flat = await redis.zrangebyscore(K.jobs, lastScore, '+inf', 'WITHSCORES');
    const fresh: string[] = [];
    for (let i = 0; i < flat.length; i += 2) {
      lastScore = Math.max(lastScore, Number(flat[i + 1]));
      if (!seen.has(flat[i]!)) fresh.push(flat[i]!);
    }
    await refresh([...new Set([...fresh, ...active])]);
  };

  const flush = () => {
    timer = undefined;
    const ids = [...due];
    due.clear();
    void refresh(ids).catch(() => {});
  };
  const schedule = (id: string) => {
    if (closed || !/^[0-9a-f]{32}$/.test(id)) return;
    due.add(id);
    timer ??= setTimeout(flush, deps.settleMs ?? 150);
  };

  const sub = redis.duplicate();
  sub.on('error', () => {}); // ioredis reconnects by itself
  sub.on('pmessage', (_pattern: string, channel: string) => schedule(channel.slice(K.jobChannel('').length)));
  sub.on('message', (channel: string, message: string) => {
    if (channel === K.cancelChannel) schedule(message);
    else if (channel === K.wakeChannel) void poll().catch(() => {});
  });
  const ready = (async () => {
    await Promise.all([sub.psubscribe(K.jobChannel('*')), sub.subscribe(K.wakeChannel, K.cancelChannel)]);
    // The newest jobs as they are now: they are the starting state, not changes.
    const flat = await redis.zrevrange(K.jobs, 0, (deps.recent ?? 500) - 1, 'WITHSCORES');
    const ids: string[] = [];
    for (let i = 0; i < flat.length; i += 2) {
      ids.push(flat[i]!);
      lastScore = Math.max(lastScore, Number(flat[i + 1]));
    }
    const rows = await readRows(redis, ids);
    rows.forEach((f, i) => {
      if (!f) return;
      seen.set(ids[i]!, JSON.stringify(f));
      if (!TERMINAL.includes(f.status as never)) active.add(ids[i]!);
    });
  })();
  ready.catch(() => {});
  const interval = setInterval(() => void ready.then(poll).catch(() => {}), deps.pollMs ?? 1000);

  return {
    currentSeq: async () => (await ready, seq),
    async changesSince(since, limit = 1000) {
      await ready;
      if (since >= seq) return { changes: [], seq, purged: false };
      // Before this feed started, or older than the changes kept: the page reloads instead.
      if (since < startSeq || (trimmed && since < (log[0]?.seq ?? seq + 1) - 1)) return { changes: [], seq, purged: true };
      const latest = new Map<string, JobChange>();
      for (const c of log) {
        if (c.seq <= since) continue;
        latest.delete(c.id); // re-inserted: a job sits at its latest change
        latest.set(c.id, c);
      }
      const changes = [...latest.values()].slice(0, limit);
      return { changes, seq: changes.length === latest.size ? seq : changes.at(-1)!.seq, purged: false };
    },
    subscribe(listener, options = {}) {
      const entry = { since: options.since ?? seq, listener };
      listeners.add(entry);
      return () => void listeners.delete(entry);
    },
    async close() {
      closed = true;
      clearInterval(interval);
      clearTimeout(timer);
      listeners.clear();
      sub.disconnect();
    },
  };
}
