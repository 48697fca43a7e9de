// A pool job's timeline: the events its worker saw, kept in a Redis LIST (`ad:jev:<id>`) beside the job's record
// and expiring with it, so `jobs show` and the dashboard on any host show what local jobs show from SQLite.
// Each entry is "<n> <json>", n counting from 1 per job: the reader pages by n, and a gap after the first entry
// counts the events dropped to keep the list bounded (the first one, init, is kept, as the local store does).
import type { Redis } from 'ioredis';
import type { JobEvent } from '../jobs/store/types.js';
import { truncateEvent } from '../jobs/store/events.js';
import type { RunEvent } from '../shared/types.js';
import { K } from './keys.js';

/** Events kept per job (the local store's default too). */
export const HISTORY_MAX = 1000;

// How long a job's timeline is kept: as long as its record (job_retention_days, else 30 days).
export const historyTtlSeconds = (retentionDays: number) => (retentionDays || 30) * 86_400;

/** One event as the worker saw it. */
export interface TimedEvent {
  at: number;
  event: RunEvent;
}

// Numbering and trimming on the server, so a flush is one round trip whatever the list holds.
const APPEND_SCRIPT = `
local k = KEYS[1]
local max = tonumber(ARGV[1])
local last = redis.call('LINDEX', k, -1)
local n = 0
if last then n = tonumber(string.match(last, '^%d+')) end
for i = 3, #ARGV do
  n = n + 1
  redis.call('RPUSH', k, n .. ' ' .. ARGV[i])
end
local len = redis.call('LLEN', k)
if len > max then
  local first = redis.call('LINDEX', k, 0)
  redis.call('LTRIM', k, len - max + 1, -1)
  redis.call('LPUSH', k, first)
end
redis.call('EXPIRE', k, ARGV[2])
return n`;

// Append events (cut to the local store's sizes); the list expires ttlSeconds after the last append.
export async function appendHistory(redis: Redis, id: string, events: readonly TimedEvent[], ttlSeconds: number, max = HISTORY_MAX): Promise<void> {
  if (events.length === 0) return;
  const items = events.map((e) => JSON.stringify({ at: e.at, event: truncateEvent(e.event) }));
  await redis.eval(APPEND_SCRIPT, 1, K.history(id), String(max), String(Math.max(1, Math.round(ttlSeconds))), ...items);
}

// Parse one entry; undefined for a broken one.
function parseEntry(id: string, raw: string): JobEvent | undefined {
  const space = raw.indexOf(' ');
  try {
    const { at, event } = JSON.parse(raw.slice(space + 1)) as TimedEvent;
    return { seq: Number(raw.slice(0, space)), jobId: id, at, event };
  } catch {
    return undefined;
  }
}

// The timeline, oldest first, as the local store's events() answers: `after` is the last n already seen.
export async function readHistory(redis: Redis, id: string, options: { after?: number; limit?: number } = {}): Promise<{ events: JobEvent[]; dropped: number }> {
  const all = (await redis.lrange(K.history(id), 0, -1)).map((raw) => parseEntry(id, raw)).filter((e): e is JobEvent => e !== undefined);
  const dropped = all.length > 1 ? Math.max(0, all[1]!.seq - all[0]!.seq - 1) : 0;
  const after = options.after ?? 0;
  return { events: all.filter((e) => e.seq > after).slice(0, options.limit ?? HISTORY_MAX), dropped };
}
