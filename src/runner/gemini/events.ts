// Gemini CLI `-o stream-json` lines → common RunEvents. Pure: one JSON object at a time.
// Lines: init {session_id, model}, message {role, content, delta}, tool_use {tool_name, tool_id, parameters},
// tool_result {tool_id, status, output, error}, error {severity, message}, result {status, error?, stats}.
import type { PermissionDenial, RunEvent, TokenUsage } from '../../shared/types.js';
import { asRecord, count } from '../runtime-support.js';

/** Tools headless Gemini withholds outside yolo mode: a call to one of them is a permission refusal. */
export const GATED_TOOLS = new Set(['run_shell_command', 'write_file', 'replace', 'web_fetch']);

/** What the parser has seen so far in one run. */
export interface GeminiState {
  sessionId?: string;
  model?: string;
  /** Assistant text since the last tool event (deltas joined): the answer once the run ends. */
  segment: string;
  /** The newest non-empty segment. */
  lastText: string;
  result?: Record<string, unknown>;
  /** Tokens by model, from the result's stats. */
  models: Map<string, TokenUsage>;
  toolCalls: Map<string, { name: string; input: unknown }>;
  denials: PermissionDenial[];
  warnings: string[];
  responses: number;
}

// A fresh state for one run.
export function createGeminiState(): GeminiState {
  return { segment: '', lastText: '', models: new Map(), toolCalls: new Map(), denials: [], warnings: [], responses: 0 };
}

// Gemini stats tokens → common counts (`input` is the uncached part of `input_tokens`).
export function geminiUsage(raw: Record<string, unknown>): TokenUsage {
  const cached = count(raw.cached);
  const input = raw.input !== undefined ? count(raw.input) : Math.max(0, count(raw.input_tokens) - cached);
  return { inputTokens: input, outputTokens: count(raw.output_tokens), cacheReadInputTokens: cached, cacheCreationInputTokens: 0 };
}

// Maps one line to common events.
export function mapGeminiEvent(state: GeminiState, value: Record<string, unknown>): RunEvent[] {
  switch (value.type) {
    case 'init':
      if (typeof value.session_id === 'string') state.sessionId = value.session_id;
      if (typeof value.model === 'string') state.model = value.model;
      return [{ type: 'init', ...(state.sessionId ? { sessionId: state.sessionId } : {}), ...(state.model ? { model: state.model } : {}) }];
    case 'message':
      if (value.role === 'assistant' && typeof value.content === 'string') {
        if (state.segment === '') state.responses += 1;
        state.segment += value.content;
      }
      return [];
    case 'tool_use': {
      const events = flush(state);
      const id = String(value.tool_id ?? '');
      const name = String(value.tool_name ?? '');
      state.toolCalls.set(id, { name, input: value.parameters });
      return [...events, { type: 'tool_use', id, name, input: value.parameters }];
    }
    case 'tool_result':
      return [...flush(state), toolResult(state, value)];
    case 'error':
      if (typeof value.message === 'string') state.warnings.push(value.message);
      return flush(state);
    case 'result':
      return finishResult(state, value);
    default:
      return [];
  }
}

// Ends the current text segment as one text event (deltas are joined: one event per assistant message).
function flush(state: GeminiState): RunEvent[] {
  const text = state.segment;
  state.segment = '';
  if (text === '') return [];
  state.lastText = text;
  return [{ type: 'text', text }];
}

function toolResult(state: GeminiState, value: Record<string, unknown>): RunEvent {
  const id = String(value.tool_id ?? '');
  const error = asRecord(value.error);
  const isError = value.status !== 'success';
  const call = state.toolCalls.get(id);
  const refused = error?.type === 'tool_not_registered' && call !== undefined && GATED_TOOLS.has(call.name);
  if (refused || /permission|denied by policy/i.test(String(error?.type ?? ''))) {
    state.denials.push({ toolName: call?.name ?? '', toolUseId: id, ...(call?.input === undefined ? {} : { toolInput: call.input }) });
  }
  const content = typeof value.output === 'string' ? value.output : typeof error?.message === 'string' ? error.message : '';
  return { type: 'tool_result', toolUseId: id, isError, content };
}

function finishResult(state: GeminiState, value: Record<string, unknown>): RunEvent[] {
  const events = flush(state);
  state.result = value;
  const models = asRecord(asRecord(value.stats)?.models) ?? {};
  for (const [model, raw] of Object.entries(models)) {
    const tokens = asRecord(raw);
    if (tokens) state.models.set(model, geminiUsage(tokens));
  }
  return events;
}
