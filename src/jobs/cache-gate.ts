// The cache gate: answer a repeated dispatch from the cache, and remember a successful answer. The project's git
// state is part of the key (a changed tree is never answered from an older one), but learning it costs a `git
// status` process, so it is asked for only when a cached answer could be used (the cache holds an entry for the
// same request under some state) and, for a fresh answer, once the job holds its slot: never before admission,
// so a thousand queued calls start no more git processes than agents.
import type { ResultCache } from '../cache/cache.js';
import { cacheKey, fingerprint } from '../cache/key.js';
import type { Config } from '../config/schema.js';
import { DEFAULT_MAX_OUTPUT_BYTES } from '../runner/index.js';
import type { ResolvedAgent, RunRequest, RunResult, WorkTreeStatus } from '../shared/types.js';
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
  /** Learn the tree the agent will see (call once the slot is held; `waited`: state learnt earlier may be stale).
   *  Resolves to the local status read behind the key, for the run's snapshot to reuse. */
  beforeStart(waited: boolean): Promise<WorkTreeStatus | undefined>;
  /** Store the answer under the tree learnt by beforeStart, when it may be replayed (see isReplayable). */
  remember(jobId: string, result: RunResult): void;
}

/** A project's git state: the key part, and the local status read it came from (absent for a remote one). */
export interface ProjectState {
  key: string;
  status?: WorkTreeStatus;
}

/** What the gate reads. */
export interface CacheGateDeps {
  cache: ResultCache<CachedAnswer>;
  /** Git HEAD + dirty state of a directory; absent: the state is not part of the key. */
  projectState?: (agent: ResolvedAgent) => Promise<ProjectState | undefined>;
}

/** What bounds a replayable answer. */
export interface ReplayLimits {
  /** settings.max_output_bytes: a longer answer stays in the job store only (the memory cache would hold it whole). */
  maxInlineBytes: number;
  /** The agent's max_budget_usd: a run that went over it is reported as such, never replayed as a plain answer. */
  maxBudgetUsd?: number;
}

// Whether a finished run's answer may answer a repeat: a success with no permission denials, within the limits, that
// changed no files (the key holds the tree from before the run, so a replay would claim work it did not redo).
export function isReplayable(result: RunResult, limits: ReplayLimits): boolean {
  if (!result.ok || result.permissionDenials.length > 0) return false;
  if (limits.maxBudgetUsd !== undefined && result.costUsd > limits.maxBudgetUsd) return false;
  if (Buffer.byteLength(result.text) > limits.maxInlineBytes) return false;
  const changes = result.changes;
  return !changes || (changes.commits.length === 0 && changes.files.every((f) => f.dirtyBefore === true && f.changedByRun !== true));
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
  let status: WorkTreeStatus | undefined;
  const learn = async () => {
    const learnt = deps.projectState ? await deps.projectState(agent) : undefined;
    status = learnt?.status;
    return learnt?.key ?? '';
  };
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
      return status;
    },
    remember(jobId, result) {
      const limits = { maxInlineBytes: config.settings.max_output_bytes ?? DEFAULT_MAX_OUTPUT_BYTES, ...(agent.maxBudgetUsd === undefined ? {} : { maxBudgetUsd: agent.maxBudgetUsd }) };
      if (state === undefined || !isReplayable(result, limits)) return;
      deps.cache.set(cacheKey({ ...parts, projectState: state }), { jobId, result }, agent.name, family);
    },
  };
}
