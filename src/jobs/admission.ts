// Admission: the daily budget, then a concurrency slot. A top-level dispatch takes one of settings.max_concurrency
// slots shared by every process; the dispatches made from inside a dispatched agent share that parent job's one
// slot (one at a time per parent, queueing behind each other) and never wait for the slot the parent holds.
import type { Config } from '../config/schema.js';
import type { ProcessRef } from './store/process.js';
import type { SlotRequest } from './store/types.js';

/** Where this process sits in a dispatch chain. */
export interface Nesting {
  /** Runs inside a dispatched agent (AGENT_DISPATCH_DEPTH > 0). */
  nested: boolean;
  /** The job of the agent this process runs in (AGENT_DISPATCH_JOB), when its dispatcher passed it on. */
  parentJobId?: string;
}

// The slot a dispatch needs: a pool and its limit.
export function slotFor(config: Config, nesting: Nesting, self: ProcessRef, holder?: ProcessRef): SlotRequest {
  const who = holder ?? self;
  if (!nesting.nested) return { limit: config.settings.max_concurrency, holder: who };
  // Without the parent's job id (an older parent), the calls of this one process share a slot.
  const parent = /^[0-9a-f]{32}$/.test(nesting.parentJobId ?? '') ? nesting.parentJobId : undefined;
  const pool = parent ? `job:${parent}` : `process:${self.pid}:${self.startedAt ?? ''}`;
  return { limit: 1, pool, holder: who };
}
