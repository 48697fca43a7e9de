// Large listings from memory. Handing a row to JavaScript costs about 1 µs per 1,000 values in better-sqlite3,
// so 10,000 summaries take ~25 ms straight from SQL. A long-lived process (server, dashboard) keeps a mirror of
// the summaries instead, patched from the change feed (every job write bumps `seq`; gc bumps `gc_seq`).
import type { StoreContext } from './context.js';
import { SUMMARY_COLUMNS, toSummary } from './rows.js';
import type { JobSummary, ListQuery } from './types.js';

interface Entry {
  rowid: number;
  summary: Readonly<JobSummary>;
}

type Cell = string | number | null;

// Newest first; insertion order breaks ties, as in SQL's ORDER BY created_at DESC, rowid DESC.
const before = (a: Entry, b: Entry) => a.summary.createdAt > b.summary.createdAt || (a.summary.createdAt === b.summary.createdAt && a.rowid > b.rowid);

/** A lazily built, change-fed copy of every job summary. */
export interface SummaryMirror {
  list(query: ListQuery, limit: number, offset: number): JobSummary[];
}

// Create an empty mirror; the first list() loads it.
export function createMirror(ctx: StoreContext): SummaryMirror {
  let generation = -1;
  let seq = 0;
  let gcSeq = 0;
  let byId = new Map<string, Entry>();
  let ordered: Entry[] = [];

  const entry = (row: Cell[]): Entry => ({ rowid: row[0] as number, summary: Object.freeze(toSummary(row.slice(2))) });
  const meta = (key: string) => (ctx.conn.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: number }).value;

  const rebuild = () => {
    const rows = ctx.conn
      .prepare(`SELECT rowid, seq, ${SUMMARY_COLUMNS} FROM jobs ORDER BY created_at DESC, rowid DESC`)
      .raw(true)
      .all() as Cell[][];
    ordered = rows.map(entry);
    byId = new Map(ordered.map((e) => [e.summary.id, e]));
    seq = meta('seq');
    gcSeq = meta('gc_seq');
    generation = ctx.conn.generation;
  };

  // Insert a new job at its place (almost always the front).
  const insert = (fresh: Entry) => {
    let lo = 0;
    let hi = ordered.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (before(ordered[mid] as Entry, fresh)) lo = mid + 1;
      else hi = mid;
    }
    ordered.splice(lo, 0, fresh);
  };

  const refresh = () =>
    ctx.conn.read(() => {
      if (generation !== ctx.conn.generation || meta('gc_seq') !== gcSeq) return rebuild();
      const rows = ctx.conn
        .prepare(`SELECT rowid, seq, ${SUMMARY_COLUMNS} FROM jobs WHERE seq > ? ORDER BY seq`)
        .raw(true)
        .all(seq) as Cell[][];
      // Patching costs a scan per updated row: past a few hundred, loading afresh is cheaper.
      if (rows.length > 500) return rebuild();
      for (const row of rows) {
        const fresh = entry(row);
        const old = byId.get(fresh.summary.id);
        byId.set(fresh.summary.id, fresh);
        if (old) ordered[ordered.indexOf(old)] = fresh;
        else insert(fresh);
      }
      seq = meta('seq');
    });

  return {
    list(query, limit, offset) {
      refresh();
      const statuses = query.status === undefined ? undefined : new Set(Array.isArray(query.status) ? query.status : [query.status]);
      let start = 0;
      if (query.before !== undefined) {
        const anchor = byId.get(query.before);
        start = anchor ? ordered.indexOf(anchor) + 1 : ordered.length;
      }
      const out: JobSummary[] = [];
      let skip = offset;
      for (let i = start; i < ordered.length && out.length < limit; i++) {
        const s = (ordered[i] as Entry).summary;
        if (statuses && statuses.size > 0 && !statuses.has(s.status)) continue;
        if (query.agent && s.agent !== query.agent) continue;
        if (query.caller && s.caller !== query.caller) continue;
        if (skip > 0) {
          skip -= 1;
          continue;
        }
        out.push(s);
      }
      return out;
    },
  };
}
