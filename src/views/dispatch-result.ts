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
  /** Set when `result` holds only the start of the answer (the whole of it is in the job store). */
  truncated?: boolean;
  /** The whole answer's length in characters, set with `truncated`. */
  full_size?: number;
}

/** Most answer bytes a tool result carries inline unless settings.max_output_bytes says otherwise. */
export const DEFAULT_INLINE_BYTES = 4 * 1024 * 1024;

/** How a view is shaped. */
export interface ViewOptions {
  /** Answer bytes kept inline (settings.max_output_bytes); the rest stays in the job store for fetch_result. */
  inlineBytes?: number;
}

/** A run plus what the dispatch service knows about it. */
export interface DispatchOutcomeLike {
  jobId?: string;
  result: RunResult;
  cached?: boolean;
  budgetExceeded?: boolean;
}

// Build the view; soft signals (denied tools, budget overshoot) come with a hint but keep success true.
export function toDispatchView(outcome: DispatchOutcomeLike, options: ViewOptions = {}): DispatchView {
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
  const inline = inlineText(r.text, options.inlineBytes ?? DEFAULT_INLINE_BYTES, outcome.jobId);
  if (inline !== undefined) {
    view.result = inline;
    view.truncated = true;
    view.full_size = r.text.length;
  }
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

// Reference-style ref answer: a preview of at most summaryChars characters instead of the text (return_ref).
// `size` is the whole answer's length, whatever the inline limit.
export function toRefView(outcome: DispatchOutcomeLike, summaryChars: number): Record<string, unknown> {
  const { result: _inline, truncated: _cut, full_size: _size, ...rest } = toDispatchView(outcome);
  const text = outcome.result.text;
  const chars = Math.max(0, Math.floor(summaryChars));
  return { ref: outcome.jobId, ...rest, size: text.length, summary_chars: chars, summary: preview(text, chars) };
}

// The first `chars` characters, the last of them an ellipsis when the text is longer; 0 gives "" (no preview).
export function preview(text: string, chars: number): string {
  if (text.length <= chars) return text;
  if (chars === 0) return '';
  let end = chars - 1;
  // Never split a surrogate pair: half a character would be invalid Unicode.
  if (end > 0 && isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
  return `${text.slice(0, end)}…`;
}

// The answer cut to about maxBytes of UTF-8 with a note saying where the rest is, or undefined when it fits.
export function inlineText(text: string, maxBytes: number, jobId: string | undefined): string | undefined {
  // Fast path: one UTF-16 code unit is at most 3 UTF-8 bytes.
  if (text.length * 3 <= maxBytes || Buffer.byteLength(text, 'utf8') <= maxBytes) return undefined;
  const where = jobId ? `fetch_result(ref="${jobId}") returns all of it` : 'the rest was not kept';
  const note = `\n\n[agent-dispatch: the answer is ${text.length} characters; this is the start of it; ${where}]`;
  // encodeInto writes whole characters only, so `read` never ends inside a character.
  const { read } = new TextEncoder().encodeInto(text, new Uint8Array(Math.max(0, maxBytes - Buffer.byteLength(note))));
  const end = read ?? 0;
  return `${text.slice(0, end)}${note}`;
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

function round(usd: number): number {
  return Math.round(usd * 1e6) / 1e6;
}
