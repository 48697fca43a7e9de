// The LAST RUN column of `list`: each agent's newest job from the shared job store, read without creating
// the store when no job has ever run.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { JobSummary } from '../../jobs/store/types.js';
import { silentLogger } from '../../shared/log.js';
import type { CliContext } from '../context.js';
import { stateDirOf } from '../home.js';
import type { LastRun, LastRunLookup } from './list-run.js';

// "ok", "failed: timeout", "cancelled", "running" (pure).
export function outcomeOf(job: Pick<JobSummary, 'status' | 'ok' | 'errorType'>): string {
  switch (job.status) {
    case 'done':
      return job.ok === false ? `failed: ${job.errorType ?? 'error'}` : 'ok';
    case 'failed':
      return `failed: ${job.errorType ?? 'error'}`;
    default:
      return job.status;
  }
}

// A lookup over the store in the context's state directory.
export function storeLastRuns(ctx: Pick<CliContext, 'env'>): LastRunLookup {
  return async (agents) => {
    const runs = new Map<string, LastRun>();
    const path = join(stateDirOf(ctx), 'jobs.db');
    if (!existsSync(path)) return runs;
    // Loaded only when there is a job database to read (it loads the SQLite addon).
    const { createJobStore } = await import('../../jobs/store/index.js');
    const store = createJobStore({ path, logger: silentLogger });
    try {
      for (const agent of agents) {
        const [job] = store.list({ agent, limit: 1 });
        if (job) runs.set(agent, { outcome: outcomeOf(job), at: job.endedAt ?? job.startedAt ?? job.createdAt });
      }
    } finally {
      store.close();
    }
    return runs;
  };
}
