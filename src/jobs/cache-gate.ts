// The cache gate: answer a repeated dispatch from the cache, and remember a successful answer. The project's git
// state is part of the key (a changed tree is never answered from an older one), but learning it costs a `git
// status` process, so it is asked for only when a cached answer could be used (the cache holds an entry for the
// same request under some state) and, for a fresh answer, once the job holds its slot: never before admission,
// so a thousand queued calls start no more git processes than agents.
import type { ResultCache } from '../cache/cache.js';
import { cacheKey, fingerprint } from '../cache/key.js';
import type { Config } from '../config/schema.js';
import type { ResolvedAgent, RunRequest, RunResult } from '../shared/types.js';
import type { DispatchRequest } from './types.js';

/** A cached answer remembers the job that produced it. */
export interface CachedAnswer {
  jobId: string;
  result: RunResult;
}

/** The gate of one dispatch that may use the cache. */
export interface CacheTicket {
  /** The cached answer, when there was one for the current tree. */
  hit?: CachedAnswer;
  /** Learn the tree the agent will see (call once the slot is held; `waited`: state learnt earlier may be stale). */
  beforeStart(waited: boolean): Promise<void>;
  /** Store a successful answer under the tree learnt by beforeStart. */
  remember(jobId: string, result: RunResult): void;
}

/** What the gate reads. */
export interface CacheGateDeps {
  cache: ResultCache<CachedAnswer>;
  /** Git HEAD + dirty state of a directory; absent: the state is not part of the key. */
  projectState?: (agent: ResolvedAgent) => Promise<string | undefined>;
}

// Open the gate for one dispatch; undefined when the cache does not apply.
export async function openCacheGate(deps: CacheGateDeps, config: Config, request: DispatchRequest, run: RunRequest, useCache: boolean): Promise<CacheTicket | undefined> {
  const c = config.settings.cache;
  deps.cache.configure({ enabled: c.enabled, ttlSeconds: c.ttl, maxSize: c.max_size });
  if (!useCache || request.sessionId || !c.enabled) return undefined;
  const { agent } = run;
  const parts = {
    agent: agent.name,
    task: request.task,
    context: run.context ?? '',
    caller: request.caller ?? '',
    goal: request.goal ?? '',
    group: request.group ?? '',
    responseFormat: request.responseFormat ?? '',
    agentFingerprint: fingerprint(agent),
  };
  const family = cacheKey(parts);
  const learn = async () => (deps.projectState ? ((await deps.projectState(agent)) ?? '') : '');
  let state: string | undefined;
  let hit: CachedAnswer | undefined;
  if (!deps.projectState) state = '';
  if (deps.cache.hasFamily(family)) {
    state ??= await learn();
    hit = deps.cache.get(cacheKey({ ...parts, projectState: state }));
  }
  return {
    ...(hit ? { hit } : {}),
    async beforeStart(waited) {
      if (state === undefined || (waited && deps.projectState)) state = await learn();
    },
    remember(jobId, result) {
      if (state === undefined) return;
      deps.cache.set(cacheKey({ ...parts, projectState: state }), { jobId, result }, agent.name, family);
    },
  };
}
