// Claude Code stream-json → common RunEvents, keeping what the outcome needs. Pure: fed one JSON object at a time.
// Shapes: claude-cli.md §5 (init, one assistant event per content block, user tool_result, permission_denied, result).
import type { PermissionDenial, RunEvent } from '../../shared/types.js';

/** The final `result` event as the CLI prints it (only the fields we read). */
export interface ClaudeResult {
  subtype?: string;
  is_error?: boolean;
  result?: string;
  errors?: string[];
  session_id?: string;
  total_cost_usd?: number;
  model_usage_since_last_result?: Record<string, { costUSD?: number }>;
  usage?: Record<string, unknown>;
  num_turns?: number;
  permission_denials?: { tool_name?: string; tool_use_id?: string; tool_input?: unknown }[];
  api_error_status?: number | null;
  api_error_type?: string;
  terminal_reason?: string;
  structured_output?: unknown;
}

/** What the parser has seen so far in one run. */
export interface ClaudeStreamState {
  sessionId?: string;
  result?: ClaudeResult;
  /** Text of the latest assistant text block: the partial answer when no result arrives. */
  lastText: string;
  /** Distinct assistant message ids: turns so far, for runs that end without a result. */
  messageIds: Set<string>;
  /** Denials announced live (the result event repeats them; these cover runs killed before it). */
  denials: PermissionDenial[];
}

// A fresh state for one run.
export function createStreamState(): ClaudeStreamState {
  return { lastText: '', messageIds: new Set(), denials: [] };
}

// Maps one stream-json object to common events and records what the outcome needs.
export function mapClaudeEvent(state: ClaudeStreamState, value: Record<string, unknown>): RunEvent[] {
  switch (value.type) {
    case 'system':
      return mapSystem(state, value);
    case 'assistant':
      return mapAssistant(state, value);
    case 'user':
      return mapUser(value);
    case 'result': {
      const result = normalizeResult(value);
      state.result = result;
      if (typeof result.session_id === 'string') state.sessionId = result.session_id;
      return [
        {
          type: 'result',
          ok: result.is_error !== true,
          text: typeof result.result === 'string' ? result.result : (result.errors ?? []).join('\n'),
          ...(state.sessionId === undefined ? {} : { sessionId: state.sessionId }),
          costUsd: runCost(result),
          ...(typeof result.num_turns === 'number' ? { numTurns: result.num_turns } : {}),
        },
      ];
    }
    default:
      return [];
  }
}

function mapSystem(state: ClaudeStreamState, value: Record<string, unknown>): RunEvent[] {
  if (value.subtype === 'permission_denied') {
    if (typeof value.tool_name === 'string') {
      state.denials.push({ toolName: value.tool_name, ...(typeof value.tool_use_id === 'string' ? { toolUseId: value.tool_use_id } : {}) });
    }
    return [];
  }
  if (value.subtype !== 'init') return [];
  if (typeof value.session_id === 'string') state.sessionId = value.session_id;
  const servers = Array.isArray(value.mcp_servers) ? (value.mcp_servers as { name?: unknown; status?: unknown }[]) : undefined;
  return [
    {
      type: 'init',
      ...(state.sessionId === undefined ? {} : { sessionId: state.sessionId }),
      ...(typeof value.model === 'string' ? { model: value.model } : {}),
      ...(Array.isArray(value.tools) ? { tools: value.tools.filter((t): t is string => typeof t === 'string') } : {}),
      ...(servers ? { mcpServers: servers.map((s) => ({ name: String(s?.name ?? ''), status: String(s?.status ?? '') })) } : {}),
    },
  ];
}

function mapAssistant(state: ClaudeStreamState, value: Record<string, unknown>): RunEvent[] {
  const message = asRecord(value.message);
  if (typeof message?.id === 'string' && value.parent_tool_use_id == null) state.messageIds.add(message.id);
  const events: RunEvent[] = [];
  for (const block of blocks(message?.content)) {
    if (block.type === 'text' && typeof block.text === 'string') {
      // Sub-agent text (parent_tool_use_id set) is progress, not the answer.
      if (value.parent_tool_use_id == null) state.lastText = block.text;
      events.push({ type: 'text', text: block.text });
    } else if (block.type === 'tool_use' && typeof block.name === 'string') {
      events.push({ type: 'tool_use', id: String(block.id ?? ''), name: block.name, input: block.input });
    }
  }
  return events;
}

function mapUser(value: Record<string, unknown>): RunEvent[] {
  const events: RunEvent[] = [];
  for (const block of blocks(asRecord(value.message)?.content)) {
    if (block.type !== 'tool_result') continue;
    events.push({
      type: 'tool_result',
      toolUseId: String(block.tool_use_id ?? ''),
      isError: block.is_error === true,
      content: contentText(block.content),
    });
  }
  return events;
}

// The result event with the fields we read coerced to their documented types, so no later step trips on them.
function normalizeResult(value: Record<string, unknown>): ClaudeResult {
  const result = { ...value } as ClaudeResult & Record<string, unknown>;
  result.errors = Array.isArray(value.errors) ? value.errors.map(String) : undefined;
  if (typeof value.result !== 'string') delete result.result;
  if (typeof value.subtype !== 'string') delete result.subtype;
  if (typeof value.session_id !== 'string') delete result.session_id;
  if (asRecord(value.usage) === undefined) delete result.usage;
  if (asRecord(value.model_usage_since_last_result) === undefined) delete result.model_usage_since_last_result;
  if (typeof value.api_error_type !== 'string') delete result.api_error_type;
  if (!Array.isArray(value.permission_denials)) delete result.permission_denials;
  return result;
}

// The cost of this run alone: on --resume, total_cost_usd covers the whole session (claude-cli.md §16).
export function runCost(result: ClaudeResult): number {
  const perModel = result.model_usage_since_last_result;
  if (perModel && typeof perModel === 'object') {
    const costs = Object.values(perModel).map((m) => m?.costUSD);
    if (costs.length > 0 && costs.every((c) => typeof c === 'number' && Number.isFinite(c))) {
      return (costs as number[]).reduce((sum, c) => sum + c, 0);
    }
  }
  return typeof result.total_cost_usd === 'number' && Number.isFinite(result.total_cost_usd) ? result.total_cost_usd : 0;
}

// Tool result content is a string or a list of content blocks (MCP tools); keep the text parts.
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  return blocks(content)
    .map((b) => (b.type === 'text' && typeof b.text === 'string' ? b.text : `[${String(b.type ?? 'content')}]`))
    .join('\n');
}

function blocks(content: unknown): Record<string, unknown>[] {
  return Array.isArray(content) ? content.filter((b): b is Record<string, unknown> => asRecord(b) !== undefined) : [];
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
