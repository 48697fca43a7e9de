// How a test scripts the stand-in model: rules, turns, failures, and the builders that make them.
import type { LoggedRequest, ToolResult } from './request.js';

/** Token counts the stand-in reports; the CLI prices them (claude-opus-5-5: $4/M in, $20/M out). */
export interface Usage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

/** One content block of an assistant turn. */
export type Block =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; name: string; input: unknown; id?: string };

/** What a dynamic turn or input sees: the request being answered. */
export interface TurnContext {
  request: LoggedRequest;
  /** 0 for the first reply to the prompt, 1 after the first tool round trip, and so on. */
  turnIndex: number;
  /** tool_result blocks in the newest user message (what the previous turn's tools returned). */
  toolResults: ToolResult[];
  /** Text of the first entry of toolResults, or '' when there is none. */
  lastToolResult: string;
}

/** Options shared by every turn. */
export interface TurnOptions {
  /** Wait this long before sending the response headers. */
  delayMs?: number;
  /** Split each text block into this many stream deltas (or pass chunk sizes via `chunkBytes`). */
  chunks?: number;
  /** Split each text block into deltas of at most this many characters (default 16384). */
  chunkBytes?: number;
  /** Pause between two stream deltas (observable in `--include-partial-messages`). */
  chunkDelayMs?: number;
  /** Token counts for this turn; missing fields come from the model-wide usage. */
  usage?: Partial<Usage>;
  /** Override the stop reason (default: tool_use when the turn has a tool_use block, else end_turn). */
  stopReason?: string;
  /** Streamed replies only: send an SSE `error` event after this many text deltas instead of finishing. */
  streamErrorAfter?: number;
}

/** One assistant message of a scripted reply. */
export interface Turn extends TurnOptions {
  kind: 'turn';
  blocks: Block[];
}

/** A turn, or a function of the request that returns one (e.g. to quote a tool_result). */
export type TurnSpec = Turn | ((ctx: TurnContext) => Turn);

/** A scripted HTTP failure, answered instead of a turn. */
export interface Failure {
  kind: 'failure';
  status: number;
  /** Fail only the first `times` requests the rule matches (default: all of them). */
  times: number;
  /** Seconds, sent as the `retry-after` header. */
  retryAfter?: number;
  /** Anthropic error type (default derived from the status, e.g. 529 → overloaded_error). */
  type?: string;
  message?: string;
  /** Send `x-should-retry: true|false`. */
  shouldRetry?: boolean;
  delayMs?: number;
}

/** A matcher over the extracted prompt text, or a predicate over the whole logged request. */
export type Matcher = string | RegExp | ((request: LoggedRequest) => boolean);

/** A scripted behaviour: when `match` fits, answer with `fail` (while it lasts), then with `reply`. */
export interface Rule {
  /** Name shown in the request log (defaults to the matcher's text). */
  name?: string;
  /** Substring / RegExp tested on the user's own prompt text, or a predicate on the request. Omitted: match all. */
  match?: Matcher;
  /** The turns; turn N answers a request with N assistant messages after the prompt. */
  reply?: TurnSpec | TurnSpec[];
  /** Failures served (in order, each for its `times`) before the reply. */
  fail?: Failure | Failure[];
  /** Past the last scripted turn, repeat it (e.g. a tool loop for --max-turns) instead of the default reply. */
  repeat?: boolean;
}

const DEFAULT_ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

// Anthropic's error type for a status, as the real API names it.
export function errorTypeFor(status: number): string {
  return DEFAULT_ERROR_TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
}

// A turn of plain text.
export function text(body: string, options: TurnOptions = {}): Turn {
  return { kind: 'turn', blocks: [{ type: 'text', text: body }], ...options };
}

// A turn that calls one tool, optionally after some text; `input` may be a function of the request.
export function toolUse(
  name: string,
  input: Record<string, unknown> | ((ctx: TurnContext) => Record<string, unknown>),
  options: TurnOptions & { text?: string; id?: string } = {},
): TurnSpec {
  const { text: preface, id, ...rest } = options;
  const build = (value: unknown): Turn => ({
    kind: 'turn',
    blocks: [...(preface ? [{ type: 'text' as const, text: preface }] : []), { type: 'tool_use', name, input: value, ...(id ? { id } : {}) }],
    ...rest,
  });
  return typeof input === 'function' ? (ctx) => build(input(ctx)) : build(input);
}

// A turn of several blocks: strings become text blocks, `{ name, input }` objects become tool_use blocks.
export function turn(blocks: Array<string | { name: string; input: unknown; id?: string }>, options: TurnOptions = {}): Turn {
  return {
    kind: 'turn',
    blocks: blocks.map((b) => (typeof b === 'string' ? { type: 'text', text: b } : { type: 'tool_use', ...b })),
    ...options,
  };
}

// An HTTP failure: `fail(529)` always, `fail(429, { times: 2, retryAfter: 1 })` for the first two requests.
export function fail(status: number, options: Partial<Omit<Failure, 'kind' | 'status'>> = {}): Failure {
  if (!Number.isInteger(status) || status < 400 || status > 599) throw new Error(`fail(): status must be 400..599, got ${status}`);
  return { kind: 'failure', status, times: Number.POSITIVE_INFINITY, ...options };
}

// Deterministic filler text of exactly `size` characters (for megabyte-sized replies).
export function filler(size: number, unit = 'lorem ipsum dolor sit amet '): string {
  return unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
}

// Resolve a turn spec against the request it answers.
export function resolveTurn(spec: TurnSpec, ctx: TurnContext): Turn {
  const out = typeof spec === 'function' ? spec(ctx) : spec;
  if (!out || out.kind !== 'turn') throw new Error('stand-in model: a reply function must return text(), toolUse() or turn()');
  return out;
}
