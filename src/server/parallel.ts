// Parses dispatch_parallel's `dispatches`: a JSON string (the reference's form) or a real array.
import { z } from 'zod';
import { DispatchError } from '../shared/errors.js';
import { dispatchFields, groupField, isolationFields } from './params.js';
import { summaryCharsField } from './clamp.js';

/** Most items one dispatch_parallel call may carry. */
export const MAX_PARALLEL_ITEMS = 50;

/** One item of dispatch_parallel. */
export const parallelItem = z.object({
  ...dispatchFields,
  ...isolationFields,
  group: groupField,
  return_ref: z.boolean().default(false),
  summary_chars: summaryCharsField,
});

/** A validated item. */
export type ParallelItem = z.infer<typeof parallelItem>;

// Parse and validate every item; the error names the item and field so the caller can fix it.
export function parseDispatches(input: unknown): ParallelItem[] {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (error) {
      throw new DispatchError('INVALID_INPUT', `dispatches is not valid JSON (${(error as Error).message}).`, {
        hint: 'Pass a JSON array such as [{"agent":"infra","task":"check logs"},{"agent":"db","task":"list migrations"}].',
      });
    }
  }
  if (!Array.isArray(value)) {
    throw new DispatchError('INVALID_INPUT', 'dispatches must be a JSON array of {"agent", "task", ...} objects.');
  }
  if (value.length === 0) throw new DispatchError('INVALID_INPUT', 'dispatches is empty; give at least one {"agent", "task"} item.');
  if (value.length > MAX_PARALLEL_ITEMS) {
    throw new DispatchError('INVALID_INPUT', `dispatches has ${value.length} items; at most ${MAX_PARALLEL_ITEMS} are allowed per call.`, {
      hint: 'Split the work into several dispatch_parallel calls, or use dispatch_async for each item.',
    });
  }
  return value.map((item, index) => {
    const parsed = parallelItem.safeParse(item);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'item';
    throw new DispatchError('INVALID_INPUT', `dispatches[${index}].${where}: ${issue?.message ?? 'invalid'}.`, {
      hint: 'Each item needs "agent" and "task" strings; optional: context, caller, goal, response_format, timeout_seconds, group, return_ref, summary_chars.',
    });
  });
}
