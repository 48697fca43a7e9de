// Shapes a run into the reference's DispatchResult (snake_case), plus job_id and our extras.
import type { RunResult } from '../shared/types.js';
import { toChangesView, type ChangesView } from './changes-view.js';

/** What a dispatch tool hands back for one run. */
export interface DispatchView extends ChangesView {
  agent: string;
  success: boolean;
  result: string;
  job_id?: string;
  session_id?: string;
  cost_usd: number;
  duration_ms: number;
  num_turns: number;
  cached?: boolean;
  error?: string;
  error_type?: string;
  hint?: string;
  denied_tools?: string[];
  parsed_result?: unknown;
  budget_exceeded?: boolean;
  truncated?: { full_bytes: number };
}

/** A run plus what the dispatch service knows about it. */
export interface DispatchOutcomeLike {
  jobId?: string;
  result: RunResult;
  cached?: boolean;
  budgetExceeded?: boolean;
}

// Build the view; soft signals (denied tools, budget overshoot) come with a hint but keep success true.
export function toDispatchView(outcome: DispatchOutcomeLike): DispatchView {
  const r = outcome.result;
  const view: DispatchView = {
    agent: r.agent,
    success: r.ok,
    result: r.text,
    cost_usd: round(r.costUsd),
    duration_ms: Math.round(r.durationMs),
    num_turns: r.numTurns,
  };
  if (outcome.jobId) view.job_id = outcome.jobId;
  if (r.sessionId) view.session_id = r.sessionId;
  if (outcome.cached) view.cached = true;
  if (r.structured !== undefined) view.parsed_result = r.structured;
  if (r.truncated) view.truncated = { full_bytes: r.truncated.fullBytes };
  Object.assign(view, toChangesView(r.changes, r.worktree));
  if (r.error) {
    view.error = r.error.message;
    view.error_type = r.error.type;
    if (r.error.hint) view.hint = r.error.hint;
  }
  const denied = [...new Set(r.permissionDenials.map((d) => d.toolName))];
  if (denied.length > 0) {
    view.denied_tools = denied;
    // Only Claude Code takes per-tool grants; the other runtimes are opened up through their permission mode.
    const grant =
      r.runtime === 'claude'
        ? `update_agent(name="${r.agent}", allowed_tools="${denied.join(',')}")`
        : `update_agent(name="${r.agent}", permission_mode="acceptEdits")`;
    view.hint ??= `${r.permissionDenials.length} tool call(s) were denied: ${denied.join(', ')}. The answer may be incomplete; grant them with ${grant} and dispatch again.`;
  }
  if (outcome.budgetExceeded) {
    view.budget_exceeded = true;
    view.hint ??= `This run cost $${view.cost_usd}, over the agent's max_budget_usd. Raise the cap, pick a cheaper model, or split the task.`;
  }
  return view;
}

// Reference-style ref answer: a preview instead of the whole text (return_ref).
export function toRefView(view: DispatchView, summaryChars: number): Record<string, unknown> {
  const { result, ...rest } = view;
  const chars = Math.max(0, summaryChars);
  return {
    ref: view.job_id,
    ...rest,
    size: result.length,
    summary_chars: chars,
    summary: result.length > chars ? `${result.slice(0, chars)}…` : result,
  };
}

function round(usd: number): number {
  return Math.round(usd * 1e6) / 1e6;
}
