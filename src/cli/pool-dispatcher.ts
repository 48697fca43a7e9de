// Pool mode's dispatcher for the composition root: the Dispatcher contract, with the pool code (bullmq, ioredis)
// imported and the connection made on first use, so `serve` starts as fast as in SQLite mode and a queue that is
// down fails the first call with a clear error instead of the start.
import { join } from 'node:path';
import type { Config } from '../config/schema.js';
import { DispatchError } from '../shared/errors.js';
import { parseQueueUrl } from '../shared/queue-url.js';
import type { Dispatcher } from '../jobs/dispatcher.js';
import { refuseAgentAnswer } from '../jobs/approvals/answer.js';
import type { PoolDispatcher } from '../pool/index.js';

/** A dispatcher that connects to the pool when first used. */
export interface LazyPoolDispatcher extends Dispatcher {
  /** The connected pool dispatcher (connecting now if need be). */
  pool(): Promise<PoolDispatcher>;
  close(): Promise<void>;
}

// Build it for a queue URL (never printed: only its redacted form appears in errors). `stateDir`: where this
// user's answer key lives, so every process of theirs here can answer their pool jobs' permission requests;
// `nested`: this process runs inside a dispatched agent, which may not answer them (refuseAgentAnswer).
export function lazyPoolDispatcher(url: string, config: () => Config, stateDir?: string, nested = false): LazyPoolDispatcher {
  let loading: Promise<PoolDispatcher> | undefined;
  const pool = () =>
    (loading ??= (async () => {
      let endpoint;
      try {
        endpoint = parseQueueUrl(url);
      } catch (error) {
        throw new DispatchError('INVALID_INPUT', (error as Error).message, { hint: 'Fix settings.queue or AGENT_DISPATCH_QUEUE: redis://[user:password@]host:port[/db].' });
      }
      const { createPoolDispatcher, fileAnswerSecret } = await import('../pool/index.js');
      return createPoolDispatcher({ endpoint, config, ...(stateDir ? { answerSecret: fileAnswerSecret(join(stateDir, 'pool-answer.key')) } : {}) });
    })().catch((error: unknown) => {
      loading = undefined; // the next call tries again (Redis may be back)
      throw error;
    }));
  return {
    pool,
    dispatch: async (request, options) => (await pool()).dispatch(request, options),
    start: async (request) => (await pool()).start(request),
    status: async (id) => (await pool()).status(id),
    wait: async (id, timeoutMs, signal) => (await pool()).wait(id, timeoutMs, signal),
    cancel: async (id) => (await pool()).cancel(id),
    jobs: async (filter) => (await pool()).jobs(filter),
    gc: async (days) => (await pool()).gc(days),
    reply: async (id, requestId, answer) => {
      refuseAgentAnswer(nested);
      return (await pool()).reply(id, requestId, answer);
    },
    // The pool never answers from the cache: the caller cannot see the worker's repository state for the key.
    cacheStats: () => ({ enabled: false, size: 0, maxSize: 0, ttlSeconds: 0, hits: 0, misses: 0, hitRate: 0, evictions: 0 }),
    clearCache: () => 0,
    maxConcurrency: () => config().settings.pool_max_concurrency ?? config().settings.max_concurrency,
    abortAll: async (reason) => void (loading ? await (await loading.catch(() => undefined))?.abortAll(reason) : undefined),
    close: async () => void (loading ? await (await loading.catch(() => undefined))?.close() : undefined),
  };
}
