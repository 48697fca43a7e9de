// Names in Redis. BullMQ keeps its queues under `bull:<queue>:…`; our own keys (registry, records, slots, cancel
// flags) live under `ad:`. BullMQ refuses ":" in queue names, so queues are dotted.

/** The queue of every job for an agent; each worker serving the agent fetches from it. */
export const agentQueue = (agent: string) => `agent.${agent}`;

/** A session's follow-up runs only on the host that ran the session (Claude Code keeps sessions per host). */
export const sessionQueue = (agent: string, host: string) => `sess.${agent}.${host}`;

/** Host ids go into queue names: keep them to a safe alphabet. */
export const safeHost = (host: string) => host.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 100) || 'host';

/** Our keys. */
export const K = {
  /** SET of worker ids (pruned when their heartbeat key is gone). */
  workers: 'ad:workers',
  /** HASH of one live worker, expiring unless its heartbeat renews it. */
  worker: (id: string) => `ad:w:${id}`,
  /** ZSET host → last time it served the agent (for "seen on" hints). */
  seen: (agent: string) => `ad:seen:${agent}`,
  /** ZSET of held pool-wide slots: member = run token, score = expiry (Redis clock). */
  slots: 'ad:slots',
  /** The pool-wide cap (settings.pool_max_concurrency), absent = none. */
  cap: 'ad:cap',
  /** Durable cancel flag, checked on fetch and every second (pub/sub may be missed). */
  cancel: (id: string) => `ad:cancel:${id}`,
  /** Pub/sub: a cancel (message = job id). */
  cancelChannel: 'ad:cancel',
  /** Pub/sub: a permission request of a job was answered (message = job id), so its worker reads it at once. */
  decidedChannel: 'ad:decided',
  /** Pub/sub: a job was queued (message = "<queue> <job id>"), so idle workers fetch at once. */
  wakeChannel: 'ad:wake',
  /** Pub/sub: a job's events and its end (message = JSON). */
  jobChannel: (id: string) => `ad:ev:${id}`,
  /** ZSET of job ids by creation time: the history every host shares. */
  jobs: 'ad:jobs',
  /** HASH: one job's record (see records.ts). */
  job: (id: string) => `ad:job:${id}`,
  /** LIST: one job's timeline (see history.ts), expiring with its record. */
  history: (id: string) => `ad:jev:${id}`,
  /** ZSET: the pool's cost ledger (see ledger.ts), scored by end time on Redis's clock. */
  spend: 'ad:spend',
  /** HASH: a job's permission requests and their decisions (see approvals.ts). */
  approvals: (id: string) => `ad:appr:${id}`,
  /** The host that ran a session. */
  session: (sessionId: string) => `ad:session:${sessionId}`,
} as const;
