// The answer for a task id this server cannot serve: never issued, expired (gc, job_retention_days), started by
// another principal, or unreadable right now.
// Why a final `failed` task and not the -32602 error the extension names: Claude Code 2.1.328 retries a -32602
// from tasks/get four times a second until its reconnect window or the task's ttl runs out (1,186 polls in five
// minutes were observed), while a `failed` task ends the wait at once and tells the model why. A foreign id gets
// the very same answer as an unknown one, so no caller can learn that another's task exists.
import type { DetailedTask } from './types.js';

/** JSON-RPC codes a synthesized failure carries. */
export const INVALID_PARAMS = -32602;
export const INTERNAL_ERROR = -32603;

// A final `failed` task for an id that is unknown, expired or not the caller's.
export function unknownTask(taskId: string, now: number): DetailedTask {
  const message = `Unknown or expired task ${JSON.stringify(taskId.slice(0, 64))}: this server has no such task for you (it may have been deleted by job_retention_days, or started with another token).`;
  return failedTask(taskId, now, { code: INVALID_PARAMS, message });
}

// A final `failed` task for a store that cannot be read; the job may still exist, so say how to find it later.
export function unreadableTask(taskId: string, now: number, reason: string): DetailedTask {
  const message = `The job store could not be read: ${reason}. The run itself may be fine: dispatch_status(job_id="${taskId.slice(0, 64)}") shows it once the store is back.`;
  return failedTask(taskId, now, { code: INTERNAL_ERROR, message });
}

function failedTask(taskId: string, now: number, error: { code: number; message: string }): DetailedTask {
  const at = new Date(now).toISOString();
  return { taskId, status: 'failed', statusMessage: error.message, createdAt: at, lastUpdatedAt: at, ttlMs: 0, error };
}
