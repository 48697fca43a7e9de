// This process's waiters for slots, in ticket order. A freed slot wakes one waiter (the first one asleep in its
// pool), not all of them: with a thousand queued calls, every release would otherwise start a thousand reads.
// Foreign commits and the liveness tick wake only the head of each pool; a waiter that got a slot wakes the next,
// so several slots freed at once are handed on one by one.

/** One queued acquireLease call. */
export interface Waiter {
  ticket: number;
  pool: string;
  /** Set while the waiter sleeps; `thorough` asks it to reclaim dead holders' slots first (a write). */
  wake?: (thorough: boolean) => void;
}

/** The waiting line of one store. */
export interface WaitLine {
  add(waiter: Waiter): void;
  remove(waiter: Waiter): void;
  tickets(): number[];
  /** Wake the first sleeping waiter of the pool. */
  wakeNext(pool: string, thorough?: boolean): void;
  /** Wake the head of every pool, if it sleeps. */
  wakeHeads(thorough: boolean): void;
}

// An empty line.
export function createWaitLine(): WaitLine {
  const waiters: Waiter[] = [];
  const rouse = (waiter: Waiter, thorough: boolean) => {
    const wake = waiter.wake;
    waiter.wake = undefined;
    wake?.(thorough);
  };
  return {
    add(waiter) {
      // Tickets grow with each insert, so appending keeps the order.
      waiters.push(waiter);
    },
    remove(waiter) {
      const at = waiters.indexOf(waiter);
      if (at >= 0) waiters.splice(at, 1);
    },
    tickets: () => waiters.map((w) => w.ticket),
    wakeNext(pool, thorough = false) {
      const next = waiters.find((w) => w.pool === pool && w.wake);
      if (next) rouse(next, thorough);
    },
    wakeHeads(thorough) {
      const seen = new Set<string>();
      for (const waiter of waiters) {
        if (seen.has(waiter.pool)) continue;
        seen.add(waiter.pool);
        rouse(waiter, thorough);
      }
    },
  };
}
