// The worker pool's Redis (issue 15): reachable with the given credentials, a Redis version BullMQ supports,
// maxmemory-policy noeviction (evicted keys would lose jobs), AOF on (a restart would lose queued jobs), and the
// live workers with what they serve. Gathering talks to Redis (pool code loaded only when a queue is set).
import { readConfigFile, resolveConfigPath } from '../../../config/index.js';
import { parseQueueUrl, queueUrlOf, QUEUE_ENV } from '../../../shared/queue-url.js';
import type { CliContext } from '../../context.js';
import { homeOf } from '../../services.js';
import type { CheckResult } from '../types.js';

/** What doctor found about the queue; undefined when none is configured. */
export interface QueueFacts {
  redacted: string;
  fromEnv: boolean;
  error?: { message: string; hint?: string };
  version?: string;
  evictionPolicy?: string;
  aof?: boolean;
  workers?: { host: string; pid: number; agents: string[]; running: number; maxConcurrency: number }[];
  /** DEBUG names ioredis: its debug log prints command arguments, the password included. */
  debugLeaks: boolean;
}

// INFO text → the value of one field.
const infoField = (info: string, field: string) => new RegExp(`^${field}:(.*)$`, 'm').exec(info)?.[1]?.trim();

// Gather; never throws.
export async function gatherQueueFacts(ctx: CliContext): Promise<QueueFacts | undefined> {
  const homedir = homeOf(ctx);
  let settingsQueue: string | undefined;
  try {
    settingsQueue = readConfigFile(resolveConfigPath({ env: ctx.env, homedir, cwd: ctx.cwd }), homedir).config.settings.queue;
  } catch {
    settingsQueue = undefined; // the config check reports it
  }
  const url = queueUrlOf(settingsQueue, ctx.env);
  if (url === undefined) return undefined;
  const base = { fromEnv: Boolean(ctx.env[QUEUE_ENV]?.trim()), debugLeaks: /ioredis|\*/.test(ctx.env.DEBUG ?? '') };
  let endpoint;
  try {
    endpoint = parseQueueUrl(url);
  } catch (error) {
    return { ...base, redacted: '(invalid)', error: { message: (error as Error).message } };
  }
  const pool = await import('../../../pool/index.js');
  let redis;
  try {
    redis = await pool.openRedis(endpoint, { timeoutMs: 3000, name: 'ad-doctor' });
  } catch (error) {
    const e = error as Error & { hint?: string };
    return { ...base, redacted: endpoint.redacted, error: { message: e.message, ...(e.hint ? { hint: e.hint } : {}) } };
  }
  try {
    const server = await redis.info('server');
    let policy: string | undefined;
    try {
      policy = ((await redis.config('GET', 'maxmemory-policy')) as string[])[1];
    } catch {
      policy = infoField(await redis.info('memory'), 'maxmemory_policy'); // CONFIG refused by an ACL
    }
    const aof = infoField(await redis.info('persistence'), 'aof_enabled') === '1';
    const workers = (await pool.liveWorkers(redis)).map((w) => ({ host: w.host, pid: w.pid, agents: w.agents, running: w.running, maxConcurrency: w.maxConcurrency }));
    return { ...base, redacted: endpoint.redacted, ...(infoField(server, 'redis_version') ? { version: infoField(server, 'redis_version')! } : {}), ...(policy ? { evictionPolicy: policy } : {}), aof, workers };
  } finally {
    redis.disconnect();
  }
}

// "7.0.15" ≥ "6.2.0"?
function atLeast(version: string, min: string): boolean {
  const a = version.split('.').map(Number);
  const b = min.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
}

// Conclusions over the facts.
export function checkQueue(facts: QueueFacts | undefined): CheckResult[] {
  if (facts === undefined) return [];
  const where = `${facts.redacted}${facts.fromEnv ? ' (from AGENT_DISPATCH_QUEUE)' : ''}`;
  const out: CheckResult[] = [];
  if (facts.debugLeaks) out.push({ id: 'queue.debug', title: 'Queue logging', status: 'warn', message: 'DEBUG names ioredis, whose debug log prints command arguments, the queue password included.', fix: ['unset DEBUG'] });
  if (facts.error) {
    out.push({ id: 'queue', title: 'Queue', status: 'fail', message: `${where}: ${facts.error.message}`, fix: [facts.error.hint ?? 'Fix settings.queue (redis://[user:password@]host:port[/db])'] });
    return out;
  }
  out.push({ id: 'queue', title: 'Queue', status: 'ok', message: `${where} answers (Redis ${facts.version ?? '?'})` });
  if (facts.version && !atLeast(facts.version, '5.0.0')) out.push({ id: 'queue.version', title: 'Queue Redis version', status: 'fail', message: `Redis ${facts.version} is older than 5.0, which BullMQ needs.`, fix: ['Upgrade Redis to 6.2 or newer'] });
  else if (facts.version && !atLeast(facts.version, '6.2.0')) out.push({ id: 'queue.version', title: 'Queue Redis version', status: 'warn', message: `Redis ${facts.version} works; BullMQ recommends 6.2 or newer.`, fix: ['Upgrade Redis to 6.2 or newer'] });
  if (facts.evictionPolicy !== undefined && facts.evictionPolicy !== 'noeviction')
    out.push({ id: 'queue.eviction', title: 'Queue eviction policy', status: 'fail', message: `maxmemory-policy is ${facts.evictionPolicy}: Redis may evict job keys under memory pressure.`, fix: ['redis-cli CONFIG SET maxmemory-policy noeviction (and set it in redis.conf)'] });
  if (facts.aof === false) out.push({ id: 'queue.aof', title: 'Queue durability', status: 'warn', message: 'AOF is off: a Redis restart loses queued and running jobs.', fix: ['redis-cli CONFIG SET appendonly yes (and set it in redis.conf)'] });
  const workers = facts.workers ?? [];
  out.push(
    workers.length === 0
      ? { id: 'queue.workers', title: 'Pool workers', status: 'warn', message: 'No live worker: every dispatch fails until one runs.', fix: ['agent-dispatch worker   (on each host with agents)'] }
      : { id: 'queue.workers', title: 'Pool workers', status: 'ok', message: workers.map((w) => `${w.host} (pid ${w.pid}, ${w.running}/${w.maxConcurrency} busy): ${w.agents.join(', ')}`).join('; ') },
  );
  return out;
}
