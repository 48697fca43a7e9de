// Listing: summary columns only, newest first (insertion order on ties), through the created_at indexes.
import { DispatchError } from '../../shared/errors.js';
import { JOB_STATUSES } from '../types.js';
import type { StoreContext } from './context.js';
import { parseJobId, SUMMARY_COLUMNS, toSummary } from './rows.js';
import type { JobSummary, ListQuery } from './types.js';

/** Largest page list() returns. */
export const MAX_LIST_LIMIT = 100_000;

// Build the WHERE clause shared by list() and count().
function where(ctx: StoreContext, query: ListQuery, withCursor: boolean): { sql: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (query.status !== undefined) {
    const statuses = Array.isArray(query.status) ? query.status : [query.status];
    for (const status of statuses) {
      if (!(JOB_STATUSES as readonly string[]).includes(status)) {
        throw new DispatchError('INVALID_INPUT', `Unknown job status ${JSON.stringify(status)}: use one of ${JOB_STATUSES.join(', ')}.`);
      }
    }
    if (statuses.length > 0) {
      clauses.push(`status IN (${statuses.map(() => '?').join(', ')})`);
      params.push(...statuses);
    }
  }
  if (query.agent) {
    clauses.push('agent = ?');
    params.push(query.agent);
  }
  if (query.caller) {
    clauses.push('caller = ?');
    params.push(query.caller);
  }
  if (withCursor && query.before !== undefined) {
    const id = parseJobId(query.before);
    const anchor = ctx.conn.prepare('SELECT created_at, rowid AS n FROM jobs WHERE id = ?').get(id) as { created_at: number; n: number } | undefined;
    if (!anchor) throw new DispatchError('JOB_NOT_FOUND', `The list cursor ${id} is not a known job (deleted by gc?).`, { hint: 'Start again without `before`.' });
    clauses.push('(created_at < ? OR (created_at = ? AND rowid < ?))');
    params.push(anchor.created_at, anchor.created_at, anchor.n);
  }
  return { sql: clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

function checkCount(name: string, value: number | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > MAX_LIST_LIMIT) {
    throw new DispatchError('INVALID_INPUT', `${name} must be a whole number from ${min} to ${MAX_LIST_LIMIT} (got ${String(value)}).`);
  }
  return value;
}

// Summaries newest first.
export function listJobs(ctx: StoreContext, query: ListQuery = {}): JobSummary[] {
  const limit = checkCount('limit', query.limit, 50, 1);
  const offset = checkCount('offset', query.offset, 0, 0);
  const { sql, params } = where(ctx, query, true);
  const rows = ctx.conn
    .prepare(`SELECT ${SUMMARY_COLUMNS} FROM jobs ${sql} ORDER BY created_at DESC, rowid DESC LIMIT ? OFFSET ?`)
    .raw(true)
    .all(...params, limit, offset) as (string | number | null)[][];
  return rows.map(toSummary);
}

// How many jobs match the filters.
export function countJobs(ctx: StoreContext, query: ListQuery = {}): number {
  const { sql, params } = where(ctx, query, false);
  return (ctx.conn.prepare(`SELECT count(*) AS n FROM jobs ${sql}`).get(...params) as { n: number }).n;
}
