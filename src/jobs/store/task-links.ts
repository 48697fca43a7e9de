// MCP task links: the row beside a job that a tool call answered as a task (see migration 6). The job is the task's
// state; the link says how to shape its answer, who may read it, and what the run asked the person.
import type { StoreContext } from './context.js';
import { parseJobId } from './rows.js';
import type { TaskLink, TaskLinkInput } from './types.js';

interface LinkRow {
  job_id: string;
  tool: string;
  shape: string;
  principal: string | null;
  created_at: number;
  input_requests: string;
  input_responses: string;
}

const SELECT_LINK = 'SELECT job_id, tool, shape, principal, created_at, input_requests, input_responses FROM mcp_tasks WHERE job_id = ?';

// Insert the link of a job just created (inside the job's own write transaction).
export function insertLinkInTx(ctx: StoreContext, jobId: string, link: TaskLinkInput, now: number): void {
  ctx.conn
    .prepare('INSERT INTO mcp_tasks (job_id, tool, shape, principal, created_at) VALUES (?, ?, ?, ?, ?)')
    .run(jobId, link.tool, JSON.stringify(link.shape ?? {}), link.principal ?? null, now);
}

// The link of a job, or undefined when the job was not started as a task (or is gone).
export function readLink(ctx: StoreContext, rawId: string): TaskLink | undefined {
  const row = ctx.conn.prepare(SELECT_LINK).get(parseJobId(rawId)) as LinkRow | undefined;
  if (!row) return undefined;
  const link: TaskLink = {
    jobId: row.job_id,
    tool: row.tool,
    shape: parseObject(row.shape),
    createdAt: row.created_at,
    inputRequests: parseObject(row.input_requests),
    inputResponses: parseObject(row.input_responses),
  };
  if (row.principal !== null) link.principal = row.principal;
  return link;
}

// Add questions for the person (key → request); keys already asked keep their first request.
export function askInput(ctx: StoreContext, rawId: string, requests: Record<string, unknown>): boolean {
  const id = parseJobId(rawId);
  const changed = ctx.conn.write(() => {
    const row = ctx.conn.prepare(SELECT_LINK).get(id) as LinkRow | undefined;
    if (!row) return false;
    const merged = { ...requests, ...parseObject(row.input_requests) };
    ctx.conn.prepare('UPDATE mcp_tasks SET input_requests = ? WHERE job_id = ?').run(JSON.stringify(merged), id);
    return true;
  });
  if (changed) ctx.notifier.emit('job', id);
  return changed;
}

// Store the answers to outstanding questions. Keys that were never asked, or were answered already, are ignored
// (a key is answered once over a task's life). Returns the keys stored; undefined when the job has no link.
export function answerInput(ctx: StoreContext, rawId: string, responses: Record<string, unknown>): string[] | undefined {
  const id = parseJobId(rawId);
  const stored = ctx.conn.write(() => {
    const row = ctx.conn.prepare(SELECT_LINK).get(id) as LinkRow | undefined;
    if (!row) return undefined;
    const asked = parseObject(row.input_requests);
    const answered = parseObject(row.input_responses);
    const keys = Object.keys(responses ?? {}).filter((key) => Object.hasOwn(asked, key) && !Object.hasOwn(answered, key));
    if (keys.length === 0) return keys;
    for (const key of keys) answered[key] = responses[key];
    ctx.conn.prepare('UPDATE mcp_tasks SET input_responses = ? WHERE job_id = ?').run(JSON.stringify(answered), id);
    return keys;
  });
  if (stored && stored.length > 0) ctx.notifier.emit('job', id);
  return stored;
}

function parseObject(json: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(json);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
