// The tool answer of one finished dispatch, shared by the synchronous call and the task a client polls for:
// both must hand the model the same thing.
import type { DispatchOutcomeLike, ViewOptions } from '../views/dispatch-result.js';
import { toDispatchView, toRefView } from '../views/dispatch-result.js';
import { toolError, toolResult } from './results.js';

/** The tool arguments that shape an answer without being part of the request. */
export interface AnswerShape {
  return_ref?: boolean;
  summary_chars?: number;
  /** A task's agent's max_budget_usd when it started (the answer flags a run that cost more). */
  max_budget_usd?: number;
}

/** What a tool call returns (the SDK's CallToolResult, as our builders make it). */
export type ToolAnswer = ReturnType<typeof toolResult>;

// The view (or a ref, with return_ref) as a tool result; an agent failure is an isError result carrying the view.
export function dispatchAnswer(outcome: DispatchOutcomeLike, shape: AnswerShape, options: ViewOptions): ToolAnswer {
  const view = toDispatchView(outcome, options);
  const data = shape.return_ref ? toRefView(outcome, shape.summary_chars ?? 500) : { ...view };
  return outcome.result.ok ? toolResult(data) : toolError(view.error ?? 'The dispatch failed.', data);
}
