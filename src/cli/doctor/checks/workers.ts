// The local workers that run background jobs: which are alive, and files left by one that was killed. Pure.
import { shellQuote } from '../../ui/text.js';
import type { CheckResult, WorkerFacts } from '../types.js';

// One result for all workers of the state dir.
export function checkWorkers(workers: readonly WorkerFacts[]): CheckResult {
  const title = 'Local worker';
  const live = workers.filter((w) => w.error === undefined);
  const dead = workers.filter((w) => w.error !== undefined);
  if (dead.length > 0) {
    return {
      id: 'worker',
      title,
      status: 'warn',
      message: `${dead.length} worker${dead.length === 1 ? '' : 's'} left files behind (${dead[0]!.error}); the next background job starts a new one`,
      fix: [`rm -f ${dead.flatMap((w) => [w.pidfile, ...(w.socket ? [w.socket] : [])]).map(shellQuote).join(' ')}`],
    };
  }
  if (live.length === 0) return { id: 'worker', title, status: 'ok', message: 'none running (the next background job starts one)' };
  const about = live.map((w) => `pid ${w.pid} (${w.version}, ${w.running} job${w.running === 1 ? '' : 's'} running${w.retiring ? ', leaving' : ''})`);
  return { id: 'worker', title, status: 'ok', message: about.join('; ') };
}
