// When a run must stop: its deadline or its abort signal, turned into a stop reason. How it is stopped (SIGTERM
// to the group, grace, SIGKILL) is process/stop.ts. Timers are unref'd: a pending timeout never keeps us alive.
import type { StopReason } from './adapter.js';
import { nodeTimers, type Timers } from './process/stop.js';

// Arms the timeout and the abort signal; onStop gets 'timeout' or 'cancelled'. Returns a disarm function.
export function armDeadline(
  options: { timeoutMs?: number; signal?: AbortSignal; onStop: (reason: StopReason) => void },
  timers: Timers = nodeTimers,
): () => void {
  const { timeoutMs, signal, onStop } = options;
  const handle = timeoutMs !== undefined && Number.isFinite(timeoutMs) ? timers.set(() => onStop('timeout'), Math.max(0, timeoutMs)) : undefined;
  const onAbort = () => onStop('cancelled');
  if (signal?.aborted) queueMicrotask(onAbort);
  else signal?.addEventListener('abort', onAbort, { once: true });
  return () => {
    if (handle !== undefined) timers.clear(handle);
    signal?.removeEventListener('abort', onAbort);
  };
}
