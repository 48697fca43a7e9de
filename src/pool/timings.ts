// The failover bound (settings.pool_failover_seconds, default 20) as BullMQ lock settings. A dead worker's job is
// noticed after at most lockDuration + stalledInterval = 90% of the bound; the last tenth is for moving the job and
// telling the caller (measured: ~0.5 s on loopback, which overran a bound split with no headroom). A live worker
// renews its lock every third of the lock, so two missed renewals are survived.

/** Lock and stall-check settings for a bound. */
export interface FailoverTimings {
  boundMs: number;
  lockMs: number;
  stalledIntervalMs: number;
  renewMs: number;
}

/** The bound when settings.pool_failover_seconds is unset. */
export const DEFAULT_FAILOVER_SECONDS = 20;

// Split the bound: 65% lock, 25% between stall checks, 10% headroom.
export function failoverTimings(seconds: number | undefined): FailoverTimings {
  const boundMs = (seconds ?? DEFAULT_FAILOVER_SECONDS) * 1000;
  const lockMs = Math.round(boundMs * 0.65);
  return { boundMs, lockMs, stalledIntervalMs: Math.round(boundMs * 0.25), renewMs: Math.round(lockMs / 3) };
}
