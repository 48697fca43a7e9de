// Connections to the pool's Redis. ioredis and BullMQ are loaded here, on first use, so a process without a
// queue configured never pays for them. Errors name the redacted URL and say what to check; never the password.
import type { Redis, RedisOptions } from 'ioredis';
import { DispatchError } from '../shared/errors.js';
import type { QueueEndpoint } from '../shared/queue-url.js';

// ioredis options for an endpoint. maxRetriesPerRequest null: commands wait through an outage (BullMQ requires it
// for its blocking connections, and a job must not be lost to a short Redis restart).
export function redisOptions(endpoint: QueueEndpoint): RedisOptions {
  return {
    host: endpoint.host,
    port: endpoint.port,
    db: endpoint.db,
    ...(endpoint.username ? { username: endpoint.username } : {}),
    ...(endpoint.password ? { password: endpoint.password } : {}),
    ...(endpoint.tls ? { tls: endpoint.tls } : {}),
    maxRetriesPerRequest: null,
    retryStrategy: (attempt: number) => Math.min(100 * attempt, 1000),
  };
}

// What went wrong, in words a user can act on.
export function describeRedisError(error: unknown, endpoint: Pick<QueueEndpoint, 'redacted'>): DispatchError {
  const e = error as NodeJS.ErrnoException;
  const text = `${e?.code ?? ''} ${e?.message ?? String(error)}`;
  const where = endpoint.redacted;
  if (/WRONGPASS|NOAUTH|invalid password|invalid username-password/i.test(text))
    return new DispatchError('INVALID_INPUT', `The queue at ${where} refused the credentials (${/NOAUTH/.test(text) ? 'a password is required' : 'wrong user or password'}).`, { hint: 'Fix the password in settings.queue or AGENT_DISPATCH_QUEUE (redis://:PASSWORD@host:port).' });
  if (/ECONNREFUSED/.test(text)) return new DispatchError('QUEUE_UNAVAILABLE', `Could not reach the queue at ${where}: connection refused.`, { hint: 'Is redis-server running there, and is the port right? `agent-dispatch doctor` checks.' });
  if (/ENOTFOUND|EAI_AGAIN/.test(text)) return new DispatchError('QUEUE_UNAVAILABLE', `Could not reach the queue at ${where}: the host name does not resolve.`, { hint: 'Check the host in settings.queue.' });
  if (/timed out|ETIMEDOUT/i.test(text)) return new DispatchError('QUEUE_UNAVAILABLE', `Could not reach the queue at ${where}: no answer in time.`, { hint: 'Check the address, a firewall, or the SSH tunnel to it.' });
  if (/DENIED|protected mode/i.test(text)) return new DispatchError('INVALID_INPUT', `The queue at ${where} is in protected mode and refuses clients without a password.`, { hint: 'Set requirepass on the Redis server and put the password in the URL.' });
  return new DispatchError('QUEUE_UNAVAILABLE', `The queue at ${where} failed: ${(e?.message ?? String(error)).slice(0, 300)}`);
}

// Connect and check it answers (auth included) within timeoutMs; throws a DispatchError otherwise.
export async function openRedis(endpoint: QueueEndpoint, options: { timeoutMs?: number; name?: string } = {}): Promise<Redis> {
  // ioredis is CommonJS: bundled, its named exports sit on the default export.
  const mod = (await import('ioredis')) as unknown as { Redis?: typeof Redis; default?: { Redis?: typeof Redis } };
  const RedisClient = (mod.Redis ?? mod.default?.Redis)!;
  const redis = new RedisClient({ ...redisOptions(endpoint), lazyConnect: true, ...(options.name ? { connectionName: options.name } : {}) });
  let last: unknown;
  redis.on('error', (error: unknown) => (last = error)); // reported through connect below, or retried by ioredis
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      redis.connect(),
      new Promise((_, reject) => (timer = setTimeout(() => reject(last ?? new Error('timed out')), options.timeoutMs ?? 3000))),
    ]);
    await redis.ping();
    return redis;
  } catch (error) {
    redis.disconnect();
    throw describeRedisError(last ?? error, endpoint);
  } finally {
    clearTimeout(timer);
  }
}

type BullMQ = typeof import('bullmq');

// BullMQ's classes, however the bundler shaped the module (CommonJS puts them on the default export).
export async function loadBullmq(): Promise<BullMQ> {
  const mod = (await import('bullmq')) as unknown as BullMQ & { default?: BullMQ };
  return mod.Worker ? mod : mod.default!;
}
