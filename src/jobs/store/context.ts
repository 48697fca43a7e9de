// What every part of the store shares: the connection, the clock, liveness, and the in-process notifier.
import { EventEmitter } from 'node:events';
import type { Logger } from '../../shared/log.js';
import type { Connection } from './db.js';
import type { IsAlive, ProcessRef } from './process.js';

/** Events of the in-process notifier. `job`: this store wrote a job; `external`: another connection committed. */
export interface StoreEvents {
  job: [id: string];
  /** The job ended or was asked to stop: what its runner watches (a plain `job` change, such as its own pid or
   *  progress write, cannot stop it, so the runner does not re-read the row for those). */
  stop: [id: string];
  /** A slot of this pool came free (released, or a waiter left the line). */
  lease: [pool: string];
  external: [];
  tick: [];
  /** The store is closing: pending waits reject. */
  close: [];
}

/** Internal state passed to each part of the store. */
export interface StoreContext {
  conn: Connection;
  now: () => number;
  logger: Logger;
  isAlive: IsAlive;
  self: ProcessRef;
  maxEventsPerJob: number;
  notifier: EventEmitter<StoreEvents>;
  /** Starts change polling while the returned function has not been called (reference counted). */
  watch: () => () => void;
}

// True when `ref` is this very process (no /proc read needed).
export function isSelf(self: ProcessRef, pid: number, startedAt: number | null | undefined): boolean {
  return pid === self.pid && (startedAt ?? undefined) === self.startedAt;
}

// Liveness of a recorded process, short-circuiting for ourselves.
export function isLive(ctx: Pick<StoreContext, 'self' | 'isAlive'>, pid: number | null, startedAt: number | null): boolean {
  if (pid === null) return true;
  if (isSelf(ctx.self, pid, startedAt)) return true;
  return ctx.isAlive(pid, startedAt ?? undefined);
}

// Bump the store-wide change sequence inside a write transaction.
export function nextSeq(conn: Connection): number {
  return (conn.prepare("UPDATE meta SET value = value + 1 WHERE key = 'seq' RETURNING value").get() as { value: number }).value;
}
