// Who serves what: each worker keeps a HASH alive with a heartbeat; callers read the live ones to route, to list
// agents with their hosts, and to name the hosts that once served an agent when none does now.
import type { Redis } from 'ioredis';
import { K } from './keys.js';

/** A live worker as it announces itself. */
export interface WorkerInfo {
  id: string;
  host: string;
  pid: number;
  agents: string[];
  /** Each served agent's description from the worker's agents.yaml. */
  descriptions?: Record<string, string>;
  maxConcurrency: number;
  running: number;
  startedAt: number;
  version: string;
}

/** How often a worker renews its entry, and how long the entry lives without renewal. */
export const HEARTBEAT_MS = 2000;
export const HEARTBEAT_TTL_MS = 3 * HEARTBEAT_MS;
/** How long "seen serving" facts are kept. */
const SEEN_MS = 7 * 86_400_000;

// Write (or renew) a worker's entry and its "seen serving" facts, in one round trip.
export async function announce(redis: Redis, info: WorkerInfo): Promise<void> {
  const now = Date.now();
  const multi = redis.multi();
  multi.hset(K.worker(info.id), {
    id: info.id,
    host: info.host,
    pid: String(info.pid),
    agents: JSON.stringify(info.agents),
    descriptions: JSON.stringify(info.descriptions ?? {}),
    max: String(info.maxConcurrency),
    running: String(info.running),
    startedAt: String(info.startedAt),
    version: info.version,
  });
  multi.pexpire(K.worker(info.id), HEARTBEAT_TTL_MS);
  multi.sadd(K.workers, info.id);
  for (const agent of info.agents) {
    multi.zadd(K.seen(agent), now, info.host);
    multi.zremrangebyscore(K.seen(agent), '-inf', now - SEEN_MS);
  }
  await multi.exec();
}

// Remove a worker's entry (clean exit).
export async function retire(redis: Redis, id: string): Promise<void> {
  await redis.multi().del(K.worker(id)).srem(K.workers, id).exec();
}

// Every live worker; ids whose entry expired are pruned from the set as a side effect.
export async function liveWorkers(redis: Redis): Promise<WorkerInfo[]> {
  const ids = await redis.smembers(K.workers);
  if (ids.length === 0) return [];
  const pipe = redis.pipeline();
  for (const id of ids) pipe.hgetall(K.worker(id));
  const rows = (await pipe.exec()) ?? [];
  const out: WorkerInfo[] = [];
  const gone: string[] = [];
  rows.forEach(([, value], i) => {
    const h = value as Record<string, string> | null;
    if (!h || h.id === undefined) return void gone.push(ids[i]!);
    out.push({ id: h.id, host: h.host ?? '?', pid: Number(h.pid), agents: JSON.parse(h.agents ?? '[]') as string[], descriptions: JSON.parse(h.descriptions ?? '{}') as Record<string, string>, maxConcurrency: Number(h.max), running: Number(h.running), startedAt: Number(h.startedAt), version: h.version ?? '' });
  });
  if (gone.length > 0) await redis.srem(K.workers, ...gone);
  return out;
}

// Hosts seen serving an agent, newest first, with when.
export async function seenHosts(redis: Redis, agent: string): Promise<{ host: string; at: number }[]> {
  const flat = await redis.zrevrange(K.seen(agent), 0, 9, 'WITHSCORES');
  const out: { host: string; at: number }[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push({ host: flat[i]!, at: Number(flat[i + 1]) });
  return out;
}
