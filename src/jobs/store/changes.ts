// The change feed: every job write stamps the row with a store-wide sequence number, so any process can ask
// "what changed after N?" and get each changed job once, in its latest state (for the dashboard's SSE).
import type { StoreContext } from './context.js';
import { SUMMARY_COLUMNS, toSummary } from './rows.js';
import type { ChangeBatch } from './types.js';

// The latest sequence number.
export function currentSeq(ctx: StoreContext): number {
  return (ctx.conn.prepare("SELECT value FROM meta WHERE key = 'seq'").get() as { value: number }).value;
}

// Changed jobs after `since`, read in one snapshot so the returned seq matches the rows.
export function changesSince(ctx: StoreContext, since: number, limit = 500): ChangeBatch {
  const after = Number.isFinite(since) && since > 0 ? Math.floor(since) : 0;
  const read = () => {
    const rows = ctx.conn
      .prepare(`SELECT seq, ${SUMMARY_COLUMNS} FROM jobs WHERE seq > ? ORDER BY seq LIMIT ?`)
      .raw(true)
      .all(after, limit) as (string | number | null)[][];
    const gcSeq = (ctx.conn.prepare("SELECT value FROM meta WHERE key = 'gc_seq'").get() as { value: number }).value;
    const changes = rows.map((row) => ({ ...toSummary(row.slice(1)), seq: row[0] as number }));
    // A full page may have more behind it: resume from its last row. Otherwise everything up to now was seen.
    const seq = rows.length === limit ? (changes.at(-1)?.seq ?? after) : Math.max(after, currentSeq(ctx));
    return { changes, seq, purged: gcSeq > after };
  };
  return ctx.conn.read(read);
}
