// Listing: summary columns only, newest first (insertion order on ties), through the created_at indexes.
import { DispatchError } from '../../shared/errors.js';
import { JOB_STATUSES, type JobStatus } from '../types.js';
import type { StoreContext } from './context.js';
import type { SummaryMirror } from './mirror.js';
import { parseJobId, SUMMARY_COLUMNS, toSummary } from './rows.js';
import type { JobSummary, ListQuery } from './types.js';

/** Largest page list() returns. */
export const MAX_LIST_LIMIT = 100_000;

/** Listings longer than this are served from the in-memory mirror. */
export const MIRROR_THRESHOLD = 1000;

function checkStatuses(query: ListQuery): JobStatus[] {
  if (query.status === undefined) return [];
  const statuses = Array.isArray(query.status) ? query.status : [query.status];
  for (const status of statuses) {
    if (!(JOB_STATUSES as readonly string[]).includes(status)) {
      throw new DispatchError('INVALID_INPUT', `Unknown job status ${JSON.stringify(status)}: use one of ${JOB_STATUSES.join(', ')}.`);
    }
  }
  return statuses;
}

// The cursor job's position; JOB_NOT_FOUND when it is gone.
function anchorOf(ctx: StoreContext, before: string): { id: string; created_at: number; n: number } {
  const id = parseJobId(before);
  const anchor = ctx.conn.prepare('SELECT created_at, rowid AS n FROM jobs WHERE id = ?').get(id) as { created_at: number; n: number } | undefined;
  if (!anchor) throw new DispatchError('JOB_NOT_FOUND', `The list cursor ${id} is not a known job (deleted by gc?).`, { hint: 'Start again without `before`.' });
  return { id, ...anchor };
}

// Build the WHERE clause shared by list() and count().
function where(ctx: StoreContext, query: ListQuery, withCursor: boolean): { sql: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const statuses = checkStatuses(query);
  if (statuses.length > 0) {
    clauses.push(`status IN (${statuses.map(() => '?').join(', ')})`);
    params.push(...statuses);
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
    const anchor = anchorOf(ctx, query.before);
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

// Summaries newest first: pages from SQL, long listings from the mirror (same results, frozen objects).
export function listJobs(ctx: StoreContext, query: ListQuery = {}, mirror?: SummaryMirror): JobSummary[] {
  const limit = checkCount('limit', query.limit, 50, 1);
  const offset = checkCount('offset', query.offset, 0, 0);
  if (mirror && limit > MIRROR_THRESHOLD) {
    checkStatuses(query);
    const cursor = query.before === undefined ? {} : { before: anchorOf(ctx, query.before).id };
    return mirror.list({ ...query, ...cursor }, limit, offset);
  }
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
