// The job timeline: runner events truncated to sane sizes, capped per job (the first event, init, is kept).
import type { RunEvent } from '../../shared/types.js';
import type { StoreContext } from './context.js';
import { parseJobId } from './rows.js';
import type { JobEvent } from './types.js';
import { readJob } from './read.js';

/** Characters kept of any text field of an event. */
export const EVENT_TEXT_CHARS = 4000;

const cut = (text: string, max = EVENT_TEXT_CHARS) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

// Shrink an event for storage: long texts, tool inputs and lists are cut (pure).
export function truncateEvent(event: RunEvent): RunEvent {
  switch (event.type) {
    case 'init':
      return {
        ...event,
        ...(event.tools ? { tools: event.tools.slice(0, 200) } : {}),
        ...(event.mcpServers ? { mcpServers: event.mcpServers.slice(0, 50) } : {}),
      };
    case 'text':
      return { ...event, text: cut(event.text) };
    case 'tool_use': {
      const json = JSON.stringify(event.input ?? null) ?? 'null';
      return json.length > EVENT_TEXT_CHARS ? { ...event, input: { truncated: true, preview: cut(json) } } : event;
    }
    case 'tool_result':
      return { ...event, content: cut(event.content) };
    case 'result':
      return { ...event, text: cut(event.text) };
    default:
      return event;
  }
}

// Append inside the caller's write transaction (the job must exist).
export function appendEventsInTx(ctx: StoreContext, id: string, events: readonly RunEvent[]): void {
  if (events.length === 0) return;
  const insert = ctx.conn.prepare('INSERT INTO job_events (job_id, at, type, data) VALUES (?, ?, ?, ?)');
  const at = ctx.now();
  for (const event of events) {
    const small = truncateEvent(event);
    insert.run(id, at, small.type, JSON.stringify(small));
  }
  const { event_count: count } = ctx.conn
    .prepare('UPDATE jobs SET event_count = event_count + ? WHERE id = ? RETURNING event_count')
    .get(events.length, id) as { event_count: number };
  const surplus = count - ctx.maxEventsPerJob;
  if (surplus > 0) {
    // OFFSET 1 keeps the job's first event (init: model, tools) however long the run gets.
    ctx.conn
      .prepare('DELETE FROM job_events WHERE seq IN (SELECT seq FROM job_events WHERE job_id = ? ORDER BY seq LIMIT ? OFFSET 1)')
      .run(id, surplus);
    ctx.conn.prepare('UPDATE jobs SET event_count = ?, events_dropped = events_dropped + ? WHERE id = ?').run(ctx.maxEventsPerJob, surplus, id);
  }
}

// Append events to an active job; events for an ended job are dropped like late progress.
export function appendEvents(ctx: StoreContext, rawId: string, events: readonly RunEvent[]): void {
  const id = parseJobId(rawId);
  if (!Array.isArray(events) || events.length === 0) return;
  ctx.conn.write(() => {
    const row = ctx.conn.prepare('SELECT status FROM jobs WHERE id = ?').get(id) as { status: string } | undefined;
    if (!row) readJob(ctx, id);
    else if (row.status === 'pending' || row.status === 'running') appendEventsInTx(ctx, id, events);
  });
}

// The stored timeline, oldest first, after the given event seq.
export function readEvents(ctx: StoreContext, rawId: string, options: { after?: number; limit?: number } = {}): { events: JobEvent[]; dropped: number } {
  const id = parseJobId(rawId);
  const job = ctx.conn.prepare('SELECT events_dropped FROM jobs WHERE id = ?').get(id) as { events_dropped: number } | undefined;
  if (!job) readJob(ctx, id);
  const rows = ctx.conn
    .prepare('SELECT seq, at, data FROM job_events WHERE job_id = ? AND seq > ? ORDER BY seq LIMIT ?')
    .all(id, options.after ?? 0, options.limit ?? 10_000) as { seq: number; at: number; data: string }[];
  return {
    events: rows.map((row) => ({ seq: row.seq, jobId: id, at: row.at, event: JSON.parse(row.data) as RunEvent })),
    dropped: job?.events_dropped ?? 0,
  };
}
