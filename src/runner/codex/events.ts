// Codex `exec --json` lines → common RunEvents, keeping what the outcome needs. Pure: one JSON object at a time.
// Lines: thread.started, turn.started, item.started/updated/completed (agent_message, command_execution,
// file_change, mcp_tool_call, web_search, reasoning, todo_list, error), turn.completed {usage}, turn.failed, error.
import type { RunEvent, TokenUsage } from '../../shared/types.js';
import { asRecord, count } from '../runtime-support.js';

/** What the parser has seen so far in one run. */
export interface CodexState {
  sessionId?: string;
  /** Text of the newest agent_message: the answer. */
  lastText: string;
  /** Usage from turn.completed (cumulative over the thread on a resumed run). */
  usage?: TokenUsage;
  completed: boolean;
  /** turn.failed / error messages, oldest first. */
  errors: string[];
  failed?: string;
  /** Tool items already announced, so item.completed does not announce them twice. */
  announced: Set<string>;
  /** Model responses inferred from items: each tool call and each message is one. */
  responses: number;
}

// A fresh state for one run.
export function createCodexState(): CodexState {
  return { lastText: '', completed: false, errors: [], announced: new Set(), responses: 0 };
}

// Codex usage → common token counts (`input_tokens` includes the cached part).
export function codexUsage(raw: Record<string, unknown>): TokenUsage {
  const input = count(raw.input_tokens);
  const cached = Math.min(input, count(raw.cached_input_tokens));
  return {
    inputTokens: input - cached,
    outputTokens: count(raw.output_tokens),
    cacheReadInputTokens: cached,
    cacheCreationInputTokens: count(raw.cache_write_input_tokens),
  };
}

// Maps one line to common events.
export function mapCodexEvent(state: CodexState, value: Record<string, unknown>): RunEvent[] {
  switch (value.type) {
    case 'thread.started':
      if (typeof value.thread_id === 'string') state.sessionId = value.thread_id;
      return [{ type: 'init', ...(state.sessionId ? { sessionId: state.sessionId } : {}) }];
    case 'item.started':
    case 'item.updated':
      return announce(state, asRecord(value.item));
    case 'item.completed':
      return completeItem(state, asRecord(value.item));
    case 'turn.completed': {
      const usage = asRecord(value.usage);
      if (usage) state.usage = codexUsage(usage);
      state.completed = true;
      return [];
    }
    case 'turn.failed':
      state.failed = String(asRecord(value.error)?.message ?? 'turn failed');
      return [];
    case 'error':
      if (typeof value.message === 'string') state.errors.push(value.message);
      return [];
    default:
      return [];
  }
}

// A tool item as a tool_use event, once per item id.
function announce(state: CodexState, item: Record<string, unknown> | undefined): RunEvent[] {
  const tool = item ? toolOf(item) : undefined;
  if (!item || !tool) return [];
  const id = String(item.id ?? '');
  if (state.announced.has(id)) return [];
  state.announced.add(id);
  state.responses += 1;
  return [{ type: 'tool_use', id, name: tool.name, input: tool.input }];
}

function completeItem(state: CodexState, item: Record<string, unknown> | undefined): RunEvent[] {
  if (!item) return [];
  if (item.type === 'agent_message') {
    const text = typeof item.text === 'string' ? item.text : '';
    state.lastText = text;
    state.responses += 1;
    return text ? [{ type: 'text', text }] : [];
  }
  const tool = toolOf(item);
  if (!tool) return [];
  return [...announce(state, item), { type: 'tool_result', toolUseId: String(item.id ?? ''), isError: tool.isError, content: tool.output }];
}

// The common view of Codex's tool items; undefined for items that are not tool calls.
function toolOf(item: Record<string, unknown>): { name: string; input: unknown; output: string; isError: boolean } | undefined {
  const failed = item.status === 'failed' || item.status === 'declined';
  switch (item.type) {
    case 'command_execution':
      return {
        name: 'shell',
        input: { command: item.command },
        output: typeof item.aggregated_output === 'string' ? item.aggregated_output : '',
        isError: failed || (typeof item.exit_code === 'number' && item.exit_code !== 0),
      };
    case 'file_change': {
      const changes = Array.isArray(item.changes) ? item.changes : [];
      return { name: 'apply_patch', input: { changes }, output: changes.map((c) => `${asRecord(c)?.kind ?? 'change'} ${asRecord(c)?.path ?? ''}`).join('\n'), isError: failed };
    }
    case 'mcp_tool_call': {
      const error = asRecord(item.error)?.message;
      return {
        name: `mcp__${String(item.server ?? '')}__${String(item.tool ?? '')}`,
        input: item.arguments,
        output: typeof error === 'string' ? error : JSON.stringify(item.result ?? ''),
        isError: failed || typeof error === 'string',
      };
    }
    case 'web_search':
      return { name: 'web_search', input: { query: item.query }, output: '', isError: failed };
    default:
      return undefined;
  }
}
