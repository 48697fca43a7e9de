// `agent-dispatch worker`: takes jobs of the agents it serves from the pool's queues and runs them on this host.
// Manual fetching (BullMQ's `Worker(queue, null)` + getNextJob), because one host cap must span a queue per agent:
// a job is fetched only when this host has a free slot (max_concurrency) and the pool has one (slots.ts). Locks
// are renewed here (manual fetching renews nothing by itself); a worker that loses its lock stops its agent at once
// and writes nothing (another worker may own the job now). BullMQ 6.7 only marks a stalled job of a manual fetcher
// (`deferredFailure`, taskforcesh/bullmq#3911), so the fetch checks it and fails the job naming the lost host.
import { randomUUID } from 'node:crypto';
import type { ConnectionOptions, Job, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../config/schema.js';
import type { ApprovalBroker } from '../jobs/approvals/broker.js';
import { asksApproval, prepareRun } from '../jobs/prepare.js';
import { DEFAULT_APPROVAL_TIMEOUT_SECONDS } from '../shared/approvals.js';
import { failedResult } from '../jobs/run-failure.js';
import type { DispatchRequest } from '../jobs/types.js';
import type { Runner } from '../runner/types.js';
import type { Watchdog } from '../runner/index.js';
import { ProgressTracker } from '../shared/progress.js';
import type { QueueEndpoint } from '../shared/queue-url.js';
import type { RunEvent, RunResult } from '../shared/types.js';
import { loadBullmq, openRedis, redisOptions } from './connect.js';
import { agentQueue, K, sessionQueue } from './keys.js';
import { ledgerKeepMs, poolBudgetRefusal, recordSpend } from './ledger.js';
import { closeRecord, finishedFields, TERMINAL, type RecordFields } from './records.js';
import { appendHistory, historyTtlSeconds, type TimedEvent } from './history.js';
import { announce, HEARTBEAT_MS, retire } from './registry.js';
import { createPoolSlots, setPoolCap } from './slots.js';
import { failoverTimings } from './timings.js';
import { openPoolBroker, type WorkerApprovals } from './worker-approvals.js';

/** What a worker prints about (the command formats it for people or as JSON lines). */
export type WorkerNotice =
  | { type: 'job_started'; id: string; agent: string; task: string }
  | { type: 'job_finished'; id: string; agent: string; status: string; durationMs: number }
  | { type: 'job_failed_over'; id: string; agent: string; reason: string }
  | { type: 'job_handed_back'; id: string; agent: string }
  | { type: 'warning'; message: string };

/** What a worker is built from. */
export interface PoolWorkerDeps {
  endpoint: QueueEndpoint;
  /** This host's id (AGENT_DISPATCH_HOST or the host name). */
  host: string;
  config: () => Config;
  /** The agents served (their directory exists here and their CLI is installed). */
  agents: string[];
  runner: (config: Config) => Runner;
  /** Kills running agents' groups if this process dies. */
  watchdog?: Watchdog;
  notify?: (notice: WorkerNotice) => void;
  version: string;
  /** How often idle queues are polled when no wake-up message arrives (default 1000 ms). */
  pollMs?: number;
  /** Approvals "ask": how this host relays its agents' permission requests back to the dispatching side. */
  approvals?: WorkerApprovals;
}

/** A running worker. */
export interface PoolWorker {
  readonly id: string;
  /** Stop taking jobs; let running ones finish for graceMs, then stop them and hand them back to the queue. */
  stop(graceMs: number): Promise<void>;
}

interface Active {
  job: Job;
  token: string;
  agent: string;
  controller: AbortController;
  handBack: boolean;
  fenced: boolean;
  /** The run's approval broker, while it has one. */
  broker?: ApprovalBroker;
}

/** What a worker reads of a job before running it. */
interface Claim {
  record?: RecordFields;
  flagged: boolean;
}

// One round trip for a job's record and its cancel flag (the hot path of every job; a pipeline, as the two need
// not be read at one instant: a cancel after the read reaches the running agent).
async function readClaim(redis: Redis, jobId: string): Promise<Claim> {
  const [[, fields], [, flagged]] = ((await redis.pipeline().hgetall(K.job(jobId)).exists(K.cancel(jobId)).exec()) ?? [[null, {}], [null, 0]]) as [[unknown, RecordFields], [unknown, number]];
  return { ...(fields?.id === undefined ? {} : { record: fields }), flagged: flagged === 1 };
}

// Start serving. Resolves once connected and registered; throws a clear error when Redis cannot be reached.
export async function startPoolWorker(deps: PoolWorkerDeps): Promise<PoolWorker> {
  const { Worker: BullWorker, UnrecoverableError } = await loadBullmq();
  const notify = deps.notify ?? (() => {});
  const redis = await openRedis(deps.endpoint, { name: `ad-worker` });
  const sub = redis.duplicate();
  sub.on('error', () => {}); // ioredis reconnects by itself; commands wait meanwhile
  const settings = deps.config().settings;
  const timing = failoverTimings(settings.pool_failover_seconds);
  const policy = settings.pool_on_worker_loss ?? 'fail';
  const max = settings.max_concurrency;
  if (settings.pool_max_concurrency !== undefined) await setPoolCap(redis, settings.pool_max_concurrency);
  const slots = createPoolSlots(redis);
  const id = `${deps.host}.${process.pid}.${randomUUID().slice(0, 8)}`;
  const startedAt = Date.now();
  const connection = redisOptions(deps.endpoint) as ConnectionOptions;
  // The session queue of an agent on this host first: a resumed session can only run here.
  const queues = deps.agents.flatMap((agent) => [sessionQueue(agent, deps.host), agentQueue(agent)]);
  const workers: Worker[] = queues.map(
    (q) => new BullWorker(q, null, { connection, name: deps.host, autorun: false, lockDuration: timing.lockMs, stalledInterval: timing.stalledIntervalMs, maxStalledCount: policy === 'retry' ? 1 : 0 }),
  );
  for (const w of workers) {
    w.on('error', (error) => notify({ type: 'warning', message: `queue ${w.name}: ${error.message}` }));
    void w.startStalledCheckTimer();
  }
  const active = new Map<string, Active>();
  // Every job from fetch to its last write: `stop` waits for these, not just for `active` (a handed-back job is
  // out of `active` before its hand-back is written, and the connection must stay open for that).
  const inFlight = new Set<Promise<void>>();
  let closing = false;
  let pumping = false;
  let hint: string | undefined;
  let again = false;
  let rotate = 0;
  // Fetches owed: one per wake-up, unbounded after a poll; a fetch that finds every queue empty clears it. So a job
  // taken, or a job ending, does not cost an empty fetch round (a slot, two queues, the release) when nothing waits.
  let owed = Number.POSITIVE_INFINITY;
  // Whether the last slot taken had no pool cap over it (then the next is taken alongside its fetch).
  let uncapped = false;
  // A job's record and cancel flag, read as soon as a wake-up names it, alongside the slot and the fetch.
  let early: { id: string; at: number; read: Promise<Claim | undefined> } | undefined;

  const heartbeat = () =>
    announce(redis, { id, host: deps.host, pid: process.pid, agents: deps.agents, descriptions: Object.fromEntries(deps.agents.map((a) => [a, deps.config().agents[a]?.description ?? ''])), maxConcurrency: max, running: active.size, startedAt, version: deps.version }).catch((error: Error) =>
      notify({ type: 'warning', message: `heartbeat failed: ${error.message}` }),
    );
  await heartbeat();
  const beat = setInterval(() => void heartbeat(), HEARTBEAT_MS);

  // Round-robin over the queues so one busy agent does not starve the others on this host.
  const nextJob = async (token: string): Promise<Job | undefined> => {
    // The queue a wake-up named first: it has a job now (saves a fetch per job on a busy host).
    const hinted = hint === undefined ? undefined : workers.find((w) => w.name === hint);
    hint = undefined;
    if (hinted) {
      const job = (await hinted.getNextJob(token, { block: false })) as Job | undefined;
      if (job) return job;
    }
    for (let i = 0; i < workers.length; i++) {
      const w = workers[(rotate + i) % workers.length]!;
      const job = (await w.getNextJob(token, { block: false })) as Job | undefined;
      if (job) {
        rotate = (rotate + i + 1) % workers.length;
        return job;
      }
    }
    return undefined;
  };

  const pump = async (): Promise<void> => {
    if (pumping) return void (again = true);
    pumping = true;
    try {
      do {
        again = false;
        while (!closing && active.size < max && owed > 0) {
          const token = randomUUID();
          let failed = false;
          const fetch = () => nextJob(token).catch((error: Error) => ((failed = true), notify({ type: 'warning', message: `fetch failed: ${error.message}` }), undefined));
          let job: Job | undefined;
          if (uncapped) {
            // No pool cap when last seen: take the slot while fetching (one round trip less before the agent starts).
            // A cap set since then, and full: the job goes back to the queue, and fetching waits for slots again.
            const [slot, fetched] = await Promise.all([slots.acquire(token, timing.lockMs), fetch()]);
            uncapped = slot === 'uncapped';
            job = fetched;
            if (slot === 'full') {
              if (job) await job.moveToWait(token).catch(() => {});
              await slots.release(token);
              break;
            }
          } else {
            const slot = await slots.acquire(token, timing.lockMs);
            if (slot === 'full') break;
            uncapped = slot === 'uncapped';
            job = await fetch();
          }
          if (!job) {
            if (!failed) owed = 0;
            await slots.release(token);
            break;
          }
          owed -= 1;
          const run: Promise<void> = runOne(job, token)
            .catch((error: Error) => notify({ type: 'warning', message: `job ${job.id}: ${error.message}` }))
            .finally(() => {
              inFlight.delete(run);
              void slots.release(token).catch(() => {});
              void pump();
            });
          inFlight.add(run);
        }
      } while (again && !closing);
    } finally {
      pumping = false;
    }
  };

  const fail = async (job: Job, token: string, reason: string, status: 'failed' | 'cancelled') => {
    await job.moveToFailed(new UnrecoverableError(reason), token, false).catch(() => {});
    await closeRecord(redis, job.id!, { status, endedAt: String(Date.now()), failureReason: reason });
  };

  const runOne = async (job: Job, token: string): Promise<void> => {
    const jobId = job.id!;
    const request = (job.data as { request: DispatchRequest }).request;
    // Read before the fetch when a wake-up named the job (fresh: a cancel of a job still waiting removes it from
    // the queue, and a later one reaches the running agent), else now.
    const pre = early?.id === jobId && Date.now() - early.at < 1000 ? early.read : undefined;
    if (pre) early = undefined;
    const { record, flagged } = (await pre) ?? (await readClaim(redis, jobId));
    if (record && TERMINAL.includes(record.status as never)) {
      // Closed while it waited (a caller saw its worker die, or cancelled it): just drop it from the queue.
      await job.moveToFailed(new UnrecoverableError(`already ${record.status}`), token, false).catch(() => {});
      return;
    }
    if (job.deferredFailure) {
      const reason = `worker ${record?.host ?? '?'} (pid ${record?.workerPid ?? '?'}) stopped renewing its lock while running this job; it was failed rather than run twice (pool_on_worker_loss: fail)`;
      notify({ type: 'job_failed_over', id: jobId, agent: request.agent, reason });
      return fail(job, token, reason, 'failed');
    }
    if (flagged) return fail(job, token, 'cancelled before its agent started', 'cancelled');
    // The budget again, now that the job has its turn: another host may have spent today's budget meanwhile.
    const refusal = await poolBudgetRefusal(redis, deps.config(), request.agent, Date.now()).catch(() => undefined);
    if (refusal) {
      await job.moveToFailed(new UnrecoverableError(refusal.message), token, false).catch(() => {});
      await closeRecord(redis, jobId, finishedFields(failedResult({ name: request.agent, runtime: 'claude' }, { ...refusal, type: 'budget' }), Date.now(), { failureReason: refusal.message }));
      return;
    }
    const entry: Active = { job, token, agent: request.agent, controller: new AbortController(), handBack: false, fenced: false };
    active.set(jobId, entry);
    const started = Date.now();
    notify({ type: 'job_started', id: jobId, agent: request.agent, task: request.task.slice(0, 80) });
    // Not awaited: the agent starts meanwhile, and every later write of this job follows it on the same connection.
    void redis.hset(K.job(jobId), { status: 'running', host: deps.host, workerId: id, workerPid: String(process.pid), startedAt: String(started) }).catch(() => {});
    const tracker = new ProgressTracker();
    let progressDirty = false;
    // The timeline, flushed with the progress snapshot (callers get each event at once over pub/sub).
    let unsaved: TimedEvent[] = [];
    const saveHistory = () => {
      if (unsaved.length === 0) return;
      const batch = unsaved;
      unsaved = [];
      void appendHistory(redis, jobId, batch, historyTtlSeconds(deps.config().settings.job_retention_days)).catch(() => {});
    };
    const keep = setInterval(() => {
      void job.extendLock(token, timing.lockMs).then(
        (ok) => {
          // Fencing: the lock is gone, so the job may be another worker's now; stop our agent and write nothing.
          if (ok === 0) {
            entry.fenced = true;
            entry.controller.abort(new Error('lost the job lock'));
          }
        },
        () => {},
      );
      void slots.acquire(token, timing.lockMs).catch(() => {});
    }, timing.renewMs);
    const watch = setInterval(() => {
      void redis.exists(K.cancel(jobId)).then((n) => n === 1 && entry.controller.abort(new Error('cancelled')), () => {});
      saveHistory();
      if (progressDirty) {
        progressDirty = false;
        void redis.hset(K.job(jobId), 'progress', JSON.stringify(tracker.current())).catch(() => {});
      }
    }, 250);
    let result: RunResult;
    let pgid: number | undefined;
    let broker: ApprovalBroker | undefined;
    // Every event of the run, the agent's and the broker's: into the progress and the history, and out on the
    // job's channel.
    const publish = (event: RunEvent) => {
      const line = tracker.update(event);
      progressDirty = true;
      unsaved.push({ at: Date.now(), event });
      void redis.publish(K.jobChannel(jobId), JSON.stringify({ event, ...(line ? { line } : {}) })).catch(() => {});
    };
    try {
      const config = deps.config();
      const run = prepareRun(config, request);
      if (asksApproval(run)) {
        if (!deps.approvals) throw new Error('approvals "ask" needs the agent-dispatch CLI to relay the requests, and this worker has none');
        const timeoutMs = (run.agent.approvalTimeout ?? DEFAULT_APPROVAL_TIMEOUT_SECONDS) * 1000;
        entry.broker = broker = await openPoolBroker(redis, deps.approvals, { id: jobId, agent: request.agent, timeoutMs, notify: publish, remote: run.agent.host !== undefined });
      }
      result = await deps.runner(config).run(run, {
        signal: entry.controller.signal,
        jobId,
        ...(broker ? { approvalRelay: broker.relay } : {}),
        onEvent: publish,
        onSpawn: (info) => {
          pgid = info.pgid;
          deps.watchdog?.watch(info.pgid);
        },
      });
      if (run.agent.maxBudgetUsd !== undefined && result.costUsd > run.agent.maxBudgetUsd) (result as RunResult & { budgetExceeded?: boolean }).budgetExceeded = true;
    } catch (error) {
      result = failedResult({ name: request.agent, runtime: 'claude' }, { type: 'cli_error', message: `The job could not run on ${deps.host}: ${(error as Error).message}` });
    } finally {
      broker?.close();
      clearInterval(keep);
      clearInterval(watch);
      saveHistory(); // sent before the record closes (same connection, in order)
      if (pgid !== undefined) deps.watchdog?.forget(pgid);
      active.delete(jobId);
    }
    // Whatever happens to the job, its spend happened. Sent before the record closes (same connection, in
    // order), so whoever sees the end also sees the spend.
    const spent = recordSpend(redis, { jobId, workerId: id, agent: request.agent, costUsd: result.costUsd }, ledgerKeepMs(deps.config())).catch((error: Error) =>
      notify({ type: 'warning', message: `job ${jobId}: could not add its cost to the pool's ledger: ${error.message}` }),
    );
    if (entry.fenced) return void notify({ type: 'warning', message: `job ${jobId}: lost its lock; stopped the agent and left the job to the pool` });
    if (entry.handBack) {
      await job.moveToWait(token).catch(() => {});
      await redis.hset(K.job(jobId), { status: 'pending', host: '', startedAt: '' });
      return void notify({ type: 'job_handed_back', id: jobId, agent: request.agent });
    }
    const ended = Date.now();
    const budgetExceeded = (result as RunResult & { budgetExceeded?: boolean }).budgetExceeded === true;
    delete (result as RunResult & { budgetExceeded?: boolean }).budgetExceeded;
    // The session's host first: a caller may resume it as soon as it sees the result.
    // Sent before the record closes (same connection, in order), without waiting a round trip for it.
    if (result.sessionId) void redis.set(K.session(result.sessionId), deps.host, 'EX', 30 * 86_400).catch(() => {});
    await Promise.all([
      spent,
      closeRecord(redis, jobId, finishedFields(result, ended, { progress: JSON.stringify(tracker.current()), ...(budgetExceeded ? { budgetExceeded: '1' } : {}) })),
      job.moveToCompleted({ ok: result.ok }, token, false).catch((error: Error) => notify({ type: 'warning', message: `job ${jobId}: could not complete in the queue: ${error.message}` })),
    ]);
    notify({ type: 'job_finished', id: jobId, agent: request.agent, status: result.ok ? 'done' : (result.error?.type ?? 'failed'), durationMs: ended - started });
  };

  sub.on('message', (channel: string, message: string) => {
    if (channel === K.cancelChannel) active.get(message)?.controller.abort(new Error('cancelled'));
    else if (channel === K.decidedChannel) active.get(message)?.broker?.check();
    else if (channel === K.wakeChannel) {
      // "<queue> <job id>" (or just the queue, from an older caller).
      const [queue, jobId] = message.split(' ');
      if (!queues.includes(queue!)) return;
      hint = queue;
      owed += 1;
      if (jobId && !closing && active.size < max) early = { id: jobId, at: Date.now(), read: readClaim(redis, jobId).catch(() => undefined) };
      void pump();
    }
  });
  await sub.subscribe(K.cancelChannel, K.wakeChannel, ...(deps.approvals ? [K.decidedChannel] : []));
  // The poll covers missed wake-ups and jobs left waiting while this host or the pool was full.
  const poll = setInterval(() => ((owed = Number.POSITIVE_INFINITY), void pump()), deps.pollMs ?? 1000);
  void pump();

  return {
    id,
    async stop(graceMs) {
      closing = true;
      clearInterval(poll);
      const deadline = Date.now() + graceMs;
      while (active.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      for (const entry of active.values()) {
        entry.handBack = true;
        entry.controller.abort(new Error('worker stopping'));
      }
      await Promise.all([...inFlight]);
      clearInterval(beat);
      await Promise.all(workers.map((w) => w.close(true).catch(() => {})));
      await retire(redis, id).catch(() => {});
      sub.disconnect();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

/** Shapes for tests and the command. */
export type { Redis };
