// The failover bound (settings.pool_failover_seconds, default 20) as BullMQ lock settings. A dead worker's job is
// noticed after at most lockDuration + stalledInterval = the bound; a live one renews its lock every half lock.

/** Lock and stall-check settings for a bound. */
export interface FailoverTimings {
  boundMs: number;
  lockMs: number;
  stalledIntervalMs: number;
  renewMs: number;
}

/** The bound when settings.pool_failover_seconds is unset. */
export const DEFAULT_FAILOVER_SECONDS = 20;

// Split the bound: three quarters lock, one quarter between stall checks.
export function failoverTimings(seconds: number | undefined): FailoverTimings {
  const boundMs = (seconds ?? DEFAULT_FAILOVER_SECONDS) * 1000;
  const lockMs = Math.round(boundMs * 0.75);
  return { boundMs, lockMs, stalledIntervalMs: boundMs - lockMs, renewMs: Math.round(lockMs / 3) };
}
