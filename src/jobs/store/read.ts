// Reading one full job record (no recovery: see getJob in jobs.ts).
import { DispatchError } from '../../shared/errors.js';
import type { JobRecord } from '../types.js';
import type { StoreContext } from './context.js';
import { parseJobId, toRecord, type JobRow } from './rows.js';
import { listApprovals } from './approvals.js';

const SELECT_JOB = `SELECT j.id, j.kind, j.status, j.agent, j.caller, j.created_at, j.started_at, j.ended_at, j.owner_pid,
  j.owner_started_at, j.child_pid, j.cancel_requested, j.failure_reason, j.approvals_pending, d.request, d.prompt, d.prompt_parts, d.progress, d.result
  FROM jobs j JOIN job_data d ON d.id = j.id WHERE j.id = ?`;

// The full record, without recovery.
export function readJob(ctx: StoreContext, rawId: string): JobRecord {
  const id = parseJobId(rawId);
  const row = ctx.conn.prepare(SELECT_JOB).get(id) as JobRow | undefined;
  if (!row) {
    throw new DispatchError('JOB_NOT_FOUND', `No job with id ${id}.`, {
      hint: 'It may have been removed by gc or job_retention_days; `agent-dispatch jobs` lists the known jobs.',
    });
  }
  const record = toRecord(row);
  // Only a job that waits for an answer pays for the second read.
  if ((row.approvals_pending ?? 0) > 0) record.pendingApprovals = listApprovals(ctx, id, true);
  return record;
}

