// dispatch_parallel's answer, built from its items' outcomes: the synchronous call and the task polled for it
// (tasks/group-task.ts) both build it here, so both hand the model the same thing.
import { findOverlaps } from '../shared/overlaps.js';
import type { DispatchError } from '../shared/errors.js';
import type { ChangeReport } from '../shared/types.js';
import { toDispatchView, toRefView, type DispatchOutcomeLike, type ViewOptions } from '../views/dispatch-result.js';
import { errorTypeOf } from './results.js';

/** The item arguments that shape its entry. */
export interface ItemShape {
  return_ref?: boolean;
  summary_chars?: number;
}

// One item's entry for a run that finished (well or not).
export function itemView(shape: ItemShape, outcome: DispatchOutcomeLike, view: ViewOptions): Record<string, unknown> {
  return shape.return_ref ? toRefView(outcome, shape.summary_chars ?? 500) : { ...toDispatchView(outcome, view) };
}

// One item's entry when it was refused (unknown agent, budget, cancelled before it ran).
export function refusedItem(agent: string, error: DispatchError): Record<string, unknown> {
  return { agent, success: false, result: '', error: error.message, error_type: errorTypeOf(error), ...(error.hint ? { hint: error.hint } : {}) };
}

// The results with the paths more than one item changed in the same repository (issue 19): merging both needs care.
export function parallelPayload(results: Record<string, unknown>[], changes: (ChangeReport | undefined)[]): { results: Record<string, unknown>[]; overlaps?: ReturnType<typeof findOverlaps> } {
  const overlaps = findOverlaps(changes);
  return overlaps.length > 0 ? { results, overlaps } : { results };
}
