// The calling side of the pool: the same Dispatcher contract as the local service, with every job sent to the
// queue of its agent and run by a worker. A dispatch fails at once with AGENT_NOT_FOUND (error_type not_found)
// when no live worker serves the agent, naming the hosts seen serving it. Waiting combines the job's pub/sub
// channel (events and its end, within milliseconds) with a 1 s re-read of its record, which also notices a worker
// that died without another worker around to do it.
// Permission requests of its jobs (approvals "ask") travel back through caller-approvals.ts.
import { randomBytes } from 'node:crypto';
import type { ApprovalRequest, AskCaller } from '../shared/approvals.js';
import type { ConnectionOptions, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { ResultCache } from '../cache/cache.js';
import type { Config } from '../config/schema.js';
import { NAME_PATTERN } from '../config/schema.js';
import type { CancelOutcome, Dispatcher, DispatchOutcome } from '../jobs/dispatcher.js';
import { failedResult } from '../jobs/run-failure.js';
import type { SpendSource } from '../jobs/budget.js';
import { checkJobIdShape, pickJobId } from '../jobs/job-id.js';
import type { DispatchRequest, JobKind, JobRecord } from '../jobs/types.js';
import { DispatchError } from '../shared/errors.js';
import type { QueueEndpoint } from '../shared/queue-url.js';
import type { RunEvent, RunResult } from '../shared/types.js';
import { loadBullmq, openRedis } from './connect.js';
import { agentQueue, K, sessionQueue } from './keys.js';
import { closeRecord, finishedFields, readRecord, TERMINAL, type EndMessage, toJobRecord, toSummary, type RecordFields } from './records.js';
import { poolBudgetRefusal, poolSpendSource } from './ledger.js';
import { readCostRows, summarizeCosts, type PoolCosts } from './costs.js';
import { liveWorkers, seenHosts, type WorkerInfo } from './registry.js';
import { setPoolCap } from './slots.js';
import { readHistory } from './history.js';
import { createPoolJobView, type PoolJobView } from './view.js';
import { failoverTimings } from './timings.js';
import { answerSecretFrom, type AnswerSecret } from './answer-key.js';
import { createCallerApprovals } from './caller-approvals.js';

/** An agent as the pool serves it. */
export interface PoolAgent {
  name: string;
  description: string;
  hosts: string[];
  workers: number;
}

/** The pool dispatcher plus what only the pool has. */
export interface PoolDispatcher extends Dispatcher {
  /** Agents live workers serve, with their hosts. */
  agents(): Promise<PoolAgent[]>;
  workers(): Promise<WorkerInfo[]>;
  /** Spend per agent, day and host of runs that ended at or after `since`, from every host. */
  costs(query: { since: number; agent?: string }): Promise<PoolCosts>;
  /** The pool's cost ledger since `since`, as the daily budget check reads it. */
  spendSource(since: number): Promise<SpendSource>;
  /** Every permission request of a job and its decision, oldest first (approvals "ask"). */
  approvals(id: string): Promise<ApprovalRequest[]>;
  /** The job a full id or a unique prefix (6+ hex characters) names. */
  resolveId(raw: string): Promise<string>;
  /** A job's timeline as its worker saw it, oldest first. */
  events(id: string, options?: { after?: number; limit?: number }): ReturnType<typeof readHistory>;
  /** The pool as the dashboard reads it (made on first use, with its live feed; closed with the dispatcher). */
  view(): PoolJobView;
  close(): Promise<void>;
}

/** What it is built from. */
export interface PoolDispatcherDeps {
  endpoint: QueueEndpoint;
  config: () => Config;
  now?: () => number;
  /** This side's answer secret per job (default: from a key made for this process only). */
  answerSecret?: AnswerSecret;
}

/** A waiter's view of a job's channel. */
interface ListenState {
  ended: boolean;
  /** The fields that closed the job, from its end message. */
  final?: RecordFields;
  unlisten: () => void;
  wake: () => void;
}

// KEYS: BullMQ's hash of the job. ARGV: channel, message. Publish only once the job is in Redis.
const WAKE_IF_QUEUED = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('PUBLISH', ARGV[1], ARGV[2])
return 1`;

const SUMMARY_FIELDS = ['id', 'kind', 'status', 'agent', 'caller', 'task', 'createdAt', 'startedAt', 'endedAt', 'cost', 'ok', 'errorType', 'progress', 'cancelRequested', 'failureReason', 'host', 'approvalsPending'] as const;

// 32 hex digits, the last 16 of them `suffix` when given (the first ones stay random: people pick jobs by a short
// prefix): a BullMQ custom id may not be all digits (nor hold ":").
function newJobId(suffix = ''): string {
  for (;;) {
    const id = randomBytes(16 - suffix.length / 2).toString('hex') + suffix;
    if (!/^\d+$/.test(id)) return id;
  }
}

// "gpu-box (2 h ago), laptop (3 d ago)".
function describeSeen(seen: { host: string; at: number }[], now: number): string {
  return seen.map(({ host, at }) => `${host} (${Math.max(0, Math.round((now - at) / 60_000))} min ago)`).join(', ');
}

// Connect and build the dispatcher; throws a clear DispatchError when the queue cannot be reached.
export async function createPoolDispatcher(deps: PoolDispatcherDeps): Promise<PoolDispatcher> {
  const { Queue: BullQueue } = await loadBullmq();
  const now = deps.now ?? Date.now;
  const redis = await openRedis(deps.endpoint, { name: 'ad-caller' });
  const approvals = createCallerApprovals(redis, deps.answerSecret ?? answerSecretFrom(randomBytes(32)));
  const sub = redis.duplicate();
  sub.on('error', () => {}); // ioredis reconnects by itself; commands wait meanwhile
  const listeners = new Map<string, Set<(message: string) => void>>();
  sub.on('message', (channel: string, message: string) => {
    for (const listener of listeners.get(channel) ?? []) listener(message);
  });
  // This process's own dispatches: their ids end with `suffix`, and one pattern subscription carries all their
  // channels, so a dispatch sends no SUBSCRIBE before and no UNSUBSCRIBE after (ioredis renews it on reconnect).
  const suffix = randomBytes(8).toString('hex');
  const mine = new Map<string, (message: string) => void>();
  sub.on('pmessage', (_pattern: string, channel: string, message: string) => mine.get(channel)?.(message));
  let patterned: Promise<unknown> | undefined;
  const listenOwn = async (id: string, listener: (message: string) => void) => {
    const channel = K.jobChannel(id);
    mine.set(channel, listener);
    const unlisten = () => void mine.delete(channel);
    try {
      await (patterned ??= sub.psubscribe(K.jobChannel(`*${suffix}`)).catch((error: unknown) => ((patterned = undefined), Promise.reject(error))));
    } catch (error) {
      unlisten();
      throw error;
    }
    return unlisten;
  };
  const cap = deps.config().settings.pool_max_concurrency;
  if (cap !== undefined) await setPoolCap(redis, cap);
  const queues = new Map<string, Queue>();
  const queueFor = (name: string) => {
    let q = queues.get(name);
    if (!q) {
      queues.set(name, (q = new BullQueue(name, { connection: redis as unknown as ConnectionOptions })));
      q.on('error', () => {}); // connection errors: ioredis reconnects and the commands wait
    }
    return q;
  };
  const inFlight = new Set<string>();
  // The registry, re-read at most every 500 ms (a heartbeat is every 2 s): saves two round trips per dispatch.
  let registry: { at: number; workers: Promise<WorkerInfo[]> } | undefined;
  const workersNow = () => {
    if (!registry || now() - registry.at > 500) registry = { at: now(), workers: liveWorkers(redis).catch((error: unknown) => ((registry = undefined), Promise.reject(error))) };
    return registry.workers;
  };
  const cache = new ResultCache<never>();
  let view: PoolJobView | undefined;

  const listen = async (id: string, listener: (message: string) => void) => {
    const channel = K.jobChannel(id);
    let set = listeners.get(channel);
    if (!set) {
      listeners.set(channel, (set = new Set()));
      await sub.subscribe(channel);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) {
        listeners.delete(channel);
        void sub.unsubscribe(channel).catch(() => {});
      }
    };
  };

  const record = async (id: string): Promise<RecordFields> => {
    const found = await readRecord(redis, id);
    if (!found) throw new DispatchError('JOB_NOT_FOUND', `No job ${id} in the pool.`, { hint: 'List jobs with dispatch_jobs or `agent-dispatch jobs`.' });
    return reconcile(found);
  };

  // A running job whose worker is gone (no heartbeat) and whose lock expired: fail it naming the host, unless the
  // policy is retry (then another worker's stall check puts it back in the queue).
  const reconcile = async (f: RecordFields): Promise<RecordFields> => {
    if (f.status !== 'running' || !f.workerId || (f.onLoss ?? 'fail') !== 'fail') return f;
    const [alive, locked] = await Promise.all([redis.exists(K.worker(f.workerId)), redis.exists(`bull:${f.queue}:${f.id}:lock`)]);
    if (alive === 1 || locked === 1) return f;
    const reason = `worker ${f.host} (pid ${f.workerPid}) stopped while running this job (no heartbeat, lock expired); it was failed rather than run twice (pool_on_worker_loss: fail)`;
    if (await closeRecord(redis, f.id!, { status: 'failed', endedAt: String(now()), failureReason: reason })) {
      await queueFor(f.queue!).remove(f.id!).catch(() => 0);
    }
    return (await readRecord(redis, f.id!)) ?? f;
  };

  // Where a request goes: its session's host, or any worker serving the agent. Throws not_found otherwise.
  const route = async (request: DispatchRequest): Promise<string> => {
    const agent = request.agent;
    if (!NAME_PATTERN.test(agent)) throw new DispatchError('AGENT_NOT_FOUND', `No agent named ${JSON.stringify(agent.slice(0, 70))}.`);
    let serving = (await workersNow()).filter((w) => w.agents.includes(agent));
    if (serving.length === 0 || request.sessionId) {
      // Never refuse from a stale copy: a worker may have just started.
      registry = undefined;
      serving = (await workersNow()).filter((w) => w.agents.includes(agent));
    }
    if (request.sessionId) {
      const host = await redis.get(K.session(request.sessionId));
      if (!host) throw new DispatchError('JOB_NOT_FOUND', `The pool knows no session ${request.sessionId}.`, { hint: 'Resume only sessions returned by a dispatch through this pool (session_id).' });
      if (!serving.some((w) => w.host === host)) throw new DispatchError('AGENT_NOT_FOUND', `Session ${request.sessionId} lives on host ${host}, and no live worker there serves agent "${agent}".`, { hint: `Start \`agent-dispatch worker\` on ${host}.` });
      return sessionQueue(agent, host);
    }
    if (serving.length === 0) {
      const seen = await seenHosts(redis, agent);
      const hint = seen.length > 0 ? `Last served by: ${describeSeen(seen, now())}. Start \`agent-dispatch worker\` on one of them.` : 'No worker on this queue has ever served it. Run `agent-dispatch worker` on a host whose agents.yaml has it.';
      throw new DispatchError('AGENT_NOT_FOUND', `No live worker in the pool serves agent "${agent}".`, { hint });
    }
    return agentQueue(agent);
  };

  // Enqueue a job. Over today's daily budget (spend from every host, in the pool's ledger): `start` throws as local
  // mode does, and `dispatch` records the job as refused (failed, no agent ran) and ends it at once.
  // `ready`: a subscription to await before the job can run (sent alongside the record's write, not before it).
  const submit = async (request: DispatchRequest, kind: JobKind, id = newJobId(), onRefusal: 'throw' | 'record' = 'throw', ready?: Promise<unknown>): Promise<RecordFields> => {
    const queue = await route(request);
    const created = now();
    const refusal = await poolBudgetRefusal(redis, deps.config(), request.agent, created);
    if (refusal && onRefusal === 'throw') throw new DispatchError('BUDGET_EXCEEDED', refusal.message, refusal.hint ? { hint: refusal.hint } : {});
    const fields: RecordFields = {
      id,
      kind,
      status: 'pending',
      agent: request.agent,
      caller: request.caller ?? '',
      task: request.task.slice(0, 200),
      createdAt: String(created),
      queue,
      request: JSON.stringify(request),
      onLoss: deps.config().settings.pool_on_worker_loss ?? 'fail',
      // Every job: whether its agent asks is up to the worker's agents.yaml, which this side may not have.
      answerKey: approvals.answerKey(id),
    };
    const retentionDays = deps.config().settings.job_retention_days || 30;
    const written = redis.multi().hset(K.job(id), fields as Record<string, string>).expire(K.job(id), retentionDays * 86_400).zadd(K.jobs, created, id).exec();
    if (refusal) {
      await Promise.all([written, ready]);
      const result = failedResult({ name: request.agent, runtime: 'claude' }, { ...refusal, type: 'budget' });
      await closeRecord(redis, id, finishedFields(result, now(), { failureReason: refusal.message }));
      return fields;
    }
    // The job goes out right behind its record on the same connection (Redis runs them in order), so a worker that
    // fetches it finds the record; one round trip for both. The record keeps the result; BullMQ's own copy of a
    // finished job is only kept a day.
    const added = queueFor(queue).add('run', { request }, { jobId: id, attempts: 1, removeOnComplete: true, removeOnFail: { age: 86_400 } });
    // The wake-up names the job, so a worker reads its record while it takes a slot and fetches. It is sent as
    // soon as BullMQ has written the job to the connection, and goes out only if Redis has the job by then
    // (BullMQ's job hash); otherwise it follows the job's reply, a round trip later.
    const wake = `${queue} ${id}`;
    const early = new Promise((resolve) => setImmediate(resolve)).then(() => redis.eval(WAKE_IF_QUEUED, 1, `bull:${queue}:${id}`, K.wakeChannel, wake)).catch(() => 0);
    await Promise.all([written, ready, added]);
    if ((await early) !== 1) await redis.publish(K.wakeChannel, wake);
    return fields;
  };

  // Wait for a job's end (or timeout/abort), passing its events on; returns the final record.
  // `listening`: the caller subscribed before the job existed, so the first record read can wait for a message.
  // With `listening`, the end message's closing fields stand in for a re-read (dispatch needs only the result).
  const waitEnd = async (id: string, timeoutMs: number, signal?: AbortSignal, onEvent?: (event: RunEvent, line?: string) => void, listening?: ListenState) => {
    const state = listening ?? { ended: false, unlisten: () => {}, wake: () => {} };
    if (!listening) state.unlisten = await listen(id, messageHandler(state, onEvent));
    const deadline = now() + timeoutMs;
    let skipRead = listening !== undefined && !listening.ended;
    try {
      for (;;) {
        const f = skipRead ? ({ id, status: 'pending' } as RecordFields) : listening?.final ? { id, ...listening.final } : await record(id);
        skipRead = false;
        if (TERMINAL.includes(f.status as never)) return { f, timedOut: false };
        const left = deadline - now();
        if (left <= 0 || signal?.aborted) return { f, timedOut: true };
        await new Promise<void>((resolve) => {
          if (state.ended) return resolve();
          const timer = setTimeout(done, Math.min(1000, left));
          function done() {
            clearTimeout(timer);
            signal?.removeEventListener('abort', done);
            resolve();
          }
          state.wake = done;
          signal?.addEventListener('abort', done, { once: true });
        });
      }
    } finally {
      state.unlisten();
    }
  };

  // A job channel's messages: events go to the caller, the end wakes the waiter, and with `askCaller` each
  // permission request is put to the caller.
  function messageHandler(state: ListenState, onEvent?: (event: RunEvent, line?: string) => void, id?: string, askCaller?: AskCaller) {
    const asker = id && askCaller ? approvals.asker(id, askCaller) : undefined;
    return (message: string) => {
      const m = JSON.parse(message) as { event?: RunEvent; line?: string } & Partial<EndMessage>;
      if (m.event) onEvent?.(m.event, m.line);
      asker?.(m.event, m.end !== undefined);
      if (m.end) {
        if (m.fields && TERMINAL.includes(m.fields.status as never)) state.final = m.fields;
        state.ended = true;
        state.wake();
      }
    };
  }

  const resultOf = (f: RecordFields): RunResult => {
    const job = toJobRecord(f);
    if (job.result) return job.result;
    const type = f.status === 'cancelled' ? 'cancelled' : 'cli_error';
    return failedResult({ name: job.agent, runtime: 'claude' }, { type, message: `Job ${job.id} ${f.status}${f.host ? ` on ${f.host}` : ''}: ${f.failureReason ?? 'no result'}` });
  };

  const dispatcher: PoolDispatcher = {
    async dispatch(request, options = {}): Promise<DispatchOutcome> {
      // Listen before the job exists: no event or end can slip past, and no first read is needed.
      const id = newJobId(suffix);
      const state: ListenState = { ended: false, unlisten: () => {}, wake: () => {} };
      const subscribed = listenOwn(id, messageHandler(state, options.onEvent, id, options.askCaller)).then((unlisten) => (state.unlisten = unlisten));
      try {
        await submit(request, options.kind ?? 'sync', id, 'record', subscribed);
      } catch (error) {
        await subscribed.catch(() => {});
        state.unlisten();
        throw error;
      }
      inFlight.add(id);
      options.onJob?.(id);
      try {
        let final = await waitEnd(id, 2 ** 31 - 1, options.signal, options.onEvent, state);
        if (final.timedOut) {
          // The caller went away: stop the job and report how it ended.
          await dispatcher.cancel(id);
          final = await waitEnd(id, 5000);
        }
        if (final.f.agent === undefined) final.f.agent = request.agent;
        const budgetExceeded = final.f.budgetExceeded === '1';
        return { jobId: id, result: resultOf(final.f), cached: false, ...(budgetExceeded ? { budgetExceeded } : {}) };
      } finally {
        inFlight.delete(id);
      }
    },

    async start(request) {
      return toJobRecord(await submit(request, 'async'));
    },

    async reply(id, requestId, answer) {
      await record(id);
      return approvals.reply(id, requestId, answer, now());
    },

    approvals: (id) => approvals.list(id),

    status: async (id) => approvals.withApprovals(await record(id)),

    async wait(id, timeoutMs, signal) {
      const { f, timedOut } = await waitEnd(id, timeoutMs, signal);
      return { job: timedOut ? await approvals.withApprovals(f) : toJobRecord(f), timedOut };
    },

    async cancel(id) {
      const f = await record(id);
      if (TERMINAL.includes(f.status as never)) return { outcome: 'already_terminal' as CancelOutcome, job: toJobRecord(f) };
      await redis.multi().set(K.cancel(id), '1', 'EX', 86_400).hset(K.job(id), 'cancelRequested', '1').exec();
      // Still queued: take it out; no agent ran.
      if (f.status === 'pending' && (await queueFor(f.queue!).remove(id).catch(() => 0)) === 1) {
        await closeRecord(redis, id, { status: 'cancelled', endedAt: String(now()), failureReason: 'cancelled before its agent started' });
        return { outcome: 'cancelled' as CancelOutcome, job: toJobRecord(await record(id)) };
      }
      await redis.publish(K.cancelChannel, id);
      const { f: after, timedOut } = await waitEnd(id, 2000);
      if (timedOut) return { outcome: 'cancel_requested' as CancelOutcome, job: toJobRecord(after) };
      return { outcome: (after.status === 'cancelled' ? 'cancelled_running' : 'already_terminal') as CancelOutcome, job: toJobRecord(after) };
    },

    async jobs(filter) {
      // Without a filter a page is exactly `limit` ids; with one, look further back. Summary fields only.
      const filtered = filter.status !== undefined || filter.agent !== undefined;
      const ids = await redis.zrevrange(K.jobs, 0, (filtered ? Math.min(10_000, filter.limit * 10) : filter.limit) - 1);
      const pipe = redis.pipeline();
      for (const id of ids) pipe.hmget(K.job(id), ...SUMMARY_FIELDS);
      const rows = ((await pipe.exec()) ?? [])
        .map(([, v]) => Object.fromEntries(SUMMARY_FIELDS.map((k, i) => [k, (v as (string | null)[])[i] ?? undefined]).filter(([, x]) => x !== undefined)) as RecordFields)
        .filter((f) => f.id !== undefined);
      return rows
        .filter((f) => (filter.status === undefined || f.status === filter.status) && (filter.agent === undefined || f.agent === filter.agent))
        .slice(0, filter.limit)
        .map(toSummary);
    },

    async gc(days) {
      const old = await redis.zrangebyscore(K.jobs, '-inf', now() - days * 86_400_000);
      let purged = 0;
      for (const id of old) {
        const f = await readRecord(redis, id);
        if (f && !TERMINAL.includes(f.status as never)) continue;
        await redis.multi().del(K.job(id), K.approvals(id), K.history(id)).zrem(K.jobs, id).exec();
        purged++;
      }
      return purged;
    },

    cacheStats: () => cache.stats(),
    clearCache: () => 0,
    maxConcurrency: () => deps.config().settings.pool_max_concurrency ?? deps.config().settings.max_concurrency,

    async abortAll() {
      await Promise.all([...inFlight].map((id) => dispatcher.cancel(id).catch(() => undefined)));
    },

    async agents() {
      const byAgent = new Map<string, PoolAgent>();
      for (const w of await liveWorkers(redis)) {
        for (const name of w.agents) {
          const entry = byAgent.get(name) ?? { name, description: w.descriptions?.[name] ?? '', hosts: [], workers: 0 };
          if (!entry.hosts.includes(w.host)) entry.hosts.push(w.host);
          entry.workers++;
          byAgent.set(name, entry);
        }
      }
      return [...byAgent.values()].sort((a, b) => a.name.localeCompare(b.name));
    },

    workers: () => liveWorkers(redis),

    costs: async ({ since, agent }) => summarizeCosts(await readCostRows(redis, since, agent)),

    spendSource: (since) => poolSpendSource(redis, since),

    async resolveId(raw) {
      const text = checkJobIdShape(raw);
      if (text.length === 32) return text;
      // ZSCAN with MATCH walks the whole index in pages; ids are hex, so the prefix needs no escaping.
      const matches = new Set<string>();
      let cursor = '0';
      do {
        const [next, flat] = await redis.zscan(K.jobs, cursor, 'MATCH', `${text}*`, 'COUNT', 1000);
        for (let i = 0; i < flat.length; i += 2) matches.add(flat[i]!);
        cursor = next;
      } while (cursor !== '0');
      return pickJobId(text, [...matches]);
    },

    events: (id, options) => readHistory(redis, id, options),

    view: () => (view ??= createPoolJobView({ redis, status: async (id) => dispatcher.status(id), now })),

    async close() {
      await view?.close();
      await Promise.all([...queues.values()].map((q) => q.close().catch(() => {})));
      sub.disconnect();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
  return dispatcher;
}

/** For tests: the lock timings a config implies. */
export { failoverTimings };
export type { JobRecord, Redis };
