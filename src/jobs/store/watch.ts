// Cross-process change detection without fixed sleeps in the hot path: while anyone waits, poll
// `PRAGMA data_version` (no I/O) every few ms and re-read only when another connection committed.
import type { EventEmitter } from 'node:events';
import type { Logger } from '../../shared/log.js';
import type { StoreEvents } from './context.js';
import type { Connection } from './db.js';

/** Options of createWatcher. */
export interface WatcherOptions {
  conn: Connection;
  notifier: EventEmitter<StoreEvents>;
  logger: Logger;
  pollIntervalMs: number;
  livenessIntervalMs: number;
}

// A reference-counted poller: emits `external` on foreign commits and `tick` for periodic liveness checks.
export function createWatcher(options: WatcherOptions): { watch: () => () => void; stop: () => void } {
  const { conn, notifier, logger } = options;
  let users = 0;
  let timer: NodeJS.Timeout | undefined;
  let version = -1;
  let lastTick = 0;

  const poll = () => {
    try {
      const reopened = conn.ensure();
      const current = conn.dataVersion();
      if (reopened || current !== version) {
        // A fresh watch only records the baseline; a reopened file is news to every waiter.
        const first = version === -1 && !reopened;
        version = current;
        if (!first) notifier.emit('external');
      }
    } catch (error) {
      logger.debug(`job store poll failed: ${(error as Error).message}`);
    }
    const now = Date.now();
    if (now - lastTick >= options.livenessIntervalMs) {
      lastTick = now;
      notifier.emit('tick');
    }
  };

  const start = () => {
    version = -1;
    lastTick = Date.now();
    poll();
    // Kept referenced on purpose: a CLI `jobs wait` has nothing else keeping it alive.
    timer = setInterval(poll, options.pollIntervalMs);
  };

  const stop = () => {
    if (timer) clearInterval(timer);
    timer = undefined;
    users = 0;
  };

  return {
    watch() {
      users += 1;
      if (users === 1) start();
      let done = false;
      return () => {
        if (done) return;
        done = true;
        users -= 1;
        if (users === 0 && timer) {
          clearInterval(timer);
          timer = undefined;
        }
      };
    },
    stop,
  };
}
