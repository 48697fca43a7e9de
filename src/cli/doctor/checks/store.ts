// The job store opens and takes writes; jobs left running by dead processes were cleaned up. Pure.
import { dirname } from 'node:path';
import { shellQuote } from '../../ui/text.js';
import type { CheckResult, StoreFacts } from '../types.js';

// The store result, then the stale-jobs result.
export function checkStore(store: StoreFacts): CheckResult[] {
  if (store.error !== undefined) {
    const dir = dirname(store.path);
    return [
      {
        id: 'store',
        title: 'Job store',
        status: 'fail',
        message: `${store.path} is not usable: ${store.error}`,
        fix: [`mkdir -p ${shellQuote(dir)} && chmod u+rwx ${shellQuote(dir)}`, 'export AGENT_DISPATCH_STATE_DIR=<a writable directory>'],
      },
    ];
  }
  const active = store.active ?? 0;
  const recovered = store.recovered ?? 0;
  return [
    { id: 'store', title: 'Job store', status: 'ok', message: `${store.path} is writable${active > 0 ? ` (${active} job${active === 1 ? '' : 's'} running now)` : ''}` },
    {
      id: 'store.stale',
      title: 'Stale jobs',
      status: 'ok',
      message:
        recovered === 0
          ? 'none: every running job has a live owner'
          : `${recovered} job${recovered === 1 ? ' was' : 's were'} left running by a process that died; now marked failed`,
    },
  ];
}
