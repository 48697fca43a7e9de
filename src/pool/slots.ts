// The pool-wide cap (settings.pool_max_concurrency). BullMQ's global concurrency is per queue and we have a queue
// per agent, so the cap is a ZSET of held slots: member = a run's token, score = when it expires by Redis's own
// clock (hosts' clocks never matter). A holder renews its slot with its job lock; a dead holder's slot expires
// after the lock duration, the same bound as failover.
import type { Redis } from 'ioredis';
import { K } from './keys.js';

// KEYS: slots, cap. ARGV: token, ttl ms. Take (or renew) a slot when the holder has one or there is room: 0 when
// the pool is full, 1 taken under a cap, 2 taken with no cap set. Slots are held even without a cap, so a cap set
// later counts the runs already going.
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local cap = tonumber(redis.call('GET', KEYS[2]) or '0')
if cap > 0 and not redis.call('ZSCORE', KEYS[1], ARGV[1]) and redis.call('ZCARD', KEYS[1]) >= cap then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
if cap > 0 then return 1 end
return 2`;

/** What taking a slot gave: none (the pool is full), one under the cap, or one with no cap set. */
export type SlotOutcome = 'full' | 'capped' | 'uncapped';
const OUTCOMES: SlotOutcome[] = ['full', 'capped', 'uncapped'];

/** The pool-wide semaphore. */
export interface PoolSlots {
  /** Take or renew the slot of `token`. */
  acquire(token: string, ttlMs: number): Promise<SlotOutcome>;
  release(token: string): Promise<void>;
}

// Slots on the given connection.
export function createPoolSlots(redis: Redis): PoolSlots {
  return {
    acquire: async (token, ttlMs) => OUTCOMES[Number(await redis.eval(ACQUIRE, 2, K.slots, K.cap, token, String(ttlMs)))] ?? 'full',
    release: async (token) => void (await redis.zrem(K.slots, token)),
  };
}

// Publish the cap for every worker (undefined removes it).
export async function setPoolCap(redis: Redis, cap: number | undefined): Promise<void> {
  if (cap === undefined) await redis.del(K.cap);
  else await redis.set(K.cap, String(cap));
}
