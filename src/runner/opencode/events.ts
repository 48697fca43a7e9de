// OpenCode `run --format json` lines → common RunEvents. Pure: one JSON object at a time. Every line is
// `{type, timestamp, sessionID, part | error}`: step_start, text, tool_use (a finished call with its state),
// reasoning, step_finish {reason, tokens, cost}, error {name, data:{message, statusCode}}. No summary line.
import type { PermissionDenial, RunEvent, TokenUsage } from '../../shared/types.js';
import { addUsage, asRecord, count } from '../runtime-support.js';
import { ZERO_USAGE } from '../adapter.js';

/** What the parser has seen so far in one run. */
export interface OpenCodeState {
  sessionId?: string;
  /** Text of the current step, and of the last step that had text (the answer). */
  stepText: string;
  lastText: string;
  usage: TokenUsage;
  /** Cost OpenCode reported (0 unless the model has a price in its config). */
  reportedCost: number;
  steps: number;
  /** A step ended with reason "stop": the model finished. */
  stopped: boolean;
  error?: { name: string; message: string; status?: number };
  denials: PermissionDenial[];
}

// A fresh state for one run.
export function createOpenCodeState(): OpenCodeState {
  return { stepText: '', lastText: '', usage: { ...ZERO_USAGE }, reportedCost: 0, steps: 0, stopped: false, denials: [] };
}

// OpenCode step tokens → common counts (reasoning tokens are billed as output).
export function openCodeUsage(raw: Record<string, unknown>): TokenUsage {
  const cache = asRecord(raw.cache) ?? {};
  return {
    inputTokens: count(raw.input),
    outputTokens: count(raw.output) + count(raw.reasoning),
    cacheReadInputTokens: count(cache.read),
    cacheCreationInputTokens: count(cache.write),
  };
}

// Maps one line to common events.
export function mapOpenCodeEvent(state: OpenCodeState, value: Record<string, unknown>): RunEvent[] {
  const events: RunEvent[] = [];
  if (state.sessionId === undefined && typeof value.sessionID === 'string') {
    state.sessionId = value.sessionID;
    events.push({ type: 'init', sessionId: state.sessionId });
  }
  const part = asRecord(value.part) ?? {};
  switch (value.type) {
    case 'step_start':
      state.steps += 1;
      state.stepText = '';
      break;
    case 'text':
      if (typeof part.text === 'string' && part.text !== '') {
        state.stepText = state.stepText ? `${state.stepText}\n${part.text}` : part.text;
        state.lastText = state.stepText;
        events.push({ type: 'text', text: part.text });
      }
      break;
    case 'tool_use':
      events.push(...toolEvents(state, part));
      break;
    case 'step_finish': {
      const tokens = asRecord(part.tokens);
      if (tokens) state.usage = addUsage(state.usage, openCodeUsage(tokens));
      state.reportedCost += count(part.cost);
      if (part.reason === 'stop') state.stopped = true;
      break;
    }
    case 'error': {
      const error = asRecord(value.error) ?? {};
      const data = asRecord(error.data) ?? {};
      const status = typeof data.statusCode === 'number' ? data.statusCode : undefined;
      state.error = { name: String(error.name ?? 'Error'), message: String(data.message ?? error.message ?? 'unknown error'), ...(status ? { status } : {}) };
      break;
    }
  }
  return events;
}

// A finished tool call: its use and its result (OpenCode prints a call once, when it is done).
function toolEvents(state: OpenCodeState, part: Record<string, unknown>): RunEvent[] {
  const s = asRecord(part.state) ?? {};
  const id = String(part.callID ?? part.id ?? '');
  const name = String(part.tool ?? '');
  const isError = s.status === 'error';
  const content = typeof s.output === 'string' ? s.output : typeof s.error === 'string' ? s.error : '';
  // Refusals: an `ask` auto-rejected by `run`, or a call to a denied tool (OpenCode routes it to "invalid").
  const input = asRecord(s.input);
  if (isError && /rejected permission|permission.*denied/i.test(content)) {
    state.denials.push({ toolName: name, toolUseId: id, ...(s.input === undefined ? {} : { toolInput: s.input }) });
  } else if (name === 'invalid' && typeof input?.tool === 'string' && /unavailable tool/i.test(String(input.error ?? ''))) {
    state.denials.push({ toolName: input.tool, toolUseId: id });
  }
  return [
    { type: 'tool_use', id, name, input: s.input },
    { type: 'tool_result', toolUseId: id, isError, content },
  ];
}
