// The wire shapes of the MCP Tasks extension (io.modelcontextprotocol/tasks, protocol 2026-07-28). The SDK has no
// server side for tasks yet, so they are written out here, field for field as the extension names them.
import type { ToolAnswer } from '../dispatch-answer.js';

/** The extension's name, as declared in capabilities and in a request's client capabilities. */
export const TASKS_EXTENSION = 'io.modelcontextprotocol/tasks';

/** A task's state. */
export type TaskStatus = 'working' | 'input_required' | 'completed' | 'failed' | 'cancelled';

/** A JSON-RPC error object, as a failed task carries it. */
export type TaskError = {
  code: number;
  message: string;
  data?: unknown;
};

/** What every task answer carries. Times are ISO 8601. (Type aliases, not interfaces: the SDK's Result type has
 *  an index signature, which only aliases satisfy implicitly.) */
export type Task = {
  taskId: string;
  status: TaskStatus;
  statusMessage?: string;
  createdAt: string;
  lastUpdatedAt: string;
  /** How long after creation the task may be forgotten; null: kept forever. */
  ttlMs: number | null;
  pollIntervalMs?: number;
};

/** tasks/get's answer: the task plus its result, error or questions, by status. */
export type DetailedTask = Task & {
  /** completed: the tool's answer, exactly as a synchronous call returns it (isError included). */
  result?: ToolAnswer;
  /** failed: the JSON-RPC fault that ended it. */
  error?: TaskError;
  /** input_required: every question still waiting for an answer. */
  inputRequests?: Record<string, unknown>;
};

/** A tools/call answered as a task. */
export type CreateTaskResult = Task & { resultType: 'task' };
