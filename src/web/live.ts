// Live updates: one subscription to the source's change feed (the store's sees every process's writes, the pool's
// every host's jobs) fanned out to every connected page as server-sent events. A page passes the sequence it was
// rendered at, so nothing that changed between rendering and connecting is lost; a reconnect resumes from
// Last-Event-ID.
import type { Context } from 'hono';
import { streamSSE, type SSEMessage } from 'hono/streaming';
import type { ChangeBatch } from '../jobs/store/types.js';
import type { JobSource } from './deps.js';
import { parseJobId } from '../jobs/store/index.js';
import type { Logger } from '../shared/log.js';
import { jobRow, matchesFilter, parseJobsQuery, type JobFilter } from './pages/jobs.js';

/** Catch-up larger than this sends `reload` instead of the changes. */
const MAX_CATCH_UP = 500;
/** A client this many messages behind is dropped (its browser reconnects and catches up). */
const MAX_PENDING_WRITES = 200;
const KEEPALIVE_MS = 15_000;

type Listener = (batch: ChangeBatch) => void;

/** The fan-out of the change feed. */
export interface LiveFeed {
  /** Rows carry a Host cell (pool mode). */
  readonly hosts: boolean;
  /** Deliver changes after `since` (default: from now) to `listener`; `onClose` runs when the feed shuts down. */
  attach(since: number | undefined, listener: Listener, onClose?: () => void): () => void;
  clientCount(): number;
  /** End every client (server shutdown). */
  close(): void;
}

// Create the feed; the source subscription exists only while at least one client is attached.
export function createLiveFeed(source: JobSource, logger: Logger): LiveFeed {
  const clients = new Set<{ seq: number; listener: Listener; onClose?: () => void }>();
  let unsubscribe: (() => void) | undefined;
  let closed = false;

  const fanOut = (batch: ChangeBatch) => {
    for (const client of clients) {
      const changes = batch.purged ? batch.changes : batch.changes.filter((c) => c.seq > client.seq);
      if (changes.length === 0 && !batch.purged) continue;
      client.seq = Math.max(client.seq, batch.seq);
      client.listener({ ...batch, changes });
    }
  };

  // Attach once the source has answered (the pool's answers come over the network); a detach before that wins.
  const join = async (since: number | undefined, client: { seq: number; listener: Listener; onClose?: () => void }, gone: () => boolean) => {
    let seq: number;
    let catchUp: ChangeBatch | undefined;
    try {
      seq = await source.currentSeq();
      if (since !== undefined && since < seq) {
        const batch = await source.changesSince(since, MAX_CATCH_UP);
        catchUp = batch.changes.length >= MAX_CATCH_UP ? { changes: [], seq, purged: true } : batch;
        seq = Math.max(seq, batch.seq);
      }
    } catch (error) {
      logger.warn(`live updates: cannot read the jobs: ${(error as Error).message}`);
      seq = since ?? 0;
    }
    if (gone()) return;
    if (closed) return client.onClose?.();
    client.seq = seq;
    clients.add(client);
    unsubscribe ??= source.subscribe(fanOut, { since: seq });
    if (catchUp && (catchUp.changes.length > 0 || catchUp.purged)) client.listener(catchUp);
  };

  return {
    hosts: source.hosts,
    attach(since, listener, onClose) {
      const client = { seq: 0, listener, ...(onClose ? { onClose } : {}) };
      let detached = false;
      void join(since, client, () => detached);
      return () => {
        detached = true;
        clients.delete(client);
        if (clients.size === 0 && unsubscribe) {
          unsubscribe();
          unsubscribe = undefined;
        }
      };
    },
    clientCount: () => clients.size,
    close() {
      closed = true;
      for (const client of [...clients]) client.onClose?.();
      clients.clear();
      unsubscribe?.();
      unsubscribe = undefined;
    },
  };
}

// A sequence number from a query or Last-Event-ID header, or undefined (pure).
export function parseSeq(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d{1,15}$/.test(value)) return undefined;
  return Number(value);
}

// GET /events?since=&agent=&state=&caller= (rows of the jobs list) or ?job=ID (one job's changes).
export function handleEvents(c: Context, feed: LiveFeed, now: () => number): Response {
  const jobParam = c.req.query('job');
  let jobId: string | undefined;
  if (jobParam !== undefined) {
    try {
      jobId = parseJobId(jobParam);
    } catch (error) {
      return c.json({ error: (error as Error).message }, 400);
    }
  }
  const query = parseJobsQuery(c.req.query());
  const filter: JobFilter = { ...(query.agent ? { agent: query.agent } : {}), ...(query.status ? { status: query.status } : {}), ...(query.caller ? { caller: query.caller } : {}) };
  const since = parseSeq(c.req.header('last-event-id')) ?? parseSeq(c.req.query('since'));

  return streamSSE(c, async (stream) => {
    let ended = false;
    let pending = 0;
    let wake = () => {};
    const done = new Promise<void>((resolve) => (wake = resolve));
    const end = () => {
      if (ended) return;
      ended = true;
      detach();
      wake();
    };
    const send = (message: SSEMessage | string) => {
      if (ended) return;
      if (pending >= MAX_PENDING_WRITES) return end();
      pending += 1;
      const write = typeof message === 'string' ? stream.write(message) : stream.writeSSE(message);
      write.then(() => void (pending -= 1), end);
    };
    const detach = feed.attach(
      since,
      (batch) => {
        const id = String(batch.seq);
        if (batch.purged) return send({ event: 'reload', data: '{}', id });
        if (jobId !== undefined) {
          const change = batch.changes.find((ch) => ch.id === jobId);
          if (change) send({ event: 'job', data: JSON.stringify({ id: change.id, status: change.status }), id });
          return;
        }
        const at = now();
        const rows = batch.changes.map((ch) => ({ id: ch.id, createdAt: ch.createdAt, html: matchesFilter(ch, filter) ? jobRow(ch, at, feed.hosts).value : null }));
        send({ event: 'rows', data: JSON.stringify({ rows }), id });
      },
      end,
    );
    stream.onAbort(end);
    send({ event: 'ready', data: '{}', retry: 2000 });
    const keepalive = setInterval(() => send(': keepalive\n\n'), KEEPALIVE_MS);
    await done;
    clearInterval(keepalive);
  });
}
