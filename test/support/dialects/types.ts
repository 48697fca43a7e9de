// What a stand-in API dialect must provide: route matching, request normalisation into the Anthropic-shaped
// log entry the shared script machinery understands, and rendering of a scripted turn on the wire.
import type { WireChunk } from '../../../src/stand-in/engine.js';
import type { LoggedRequest } from '../../../src/stand-in/request.js';
import type { Rendered } from '../../../src/stand-in/respond.js';
import type { Failure, Turn } from '../../../src/stand-in/script.js';

/** A request body rewritten as an Anthropic Messages body, so `describeRequest`, `allText` and rules work unchanged. */
export interface Normalized {
  model: string;
  stream: boolean;
  system: string;
  /** `{ role: 'user' | 'assistant', content: blocks }` with text, tool_use and tool_result blocks. */
  messages: any[];
  /** Tool names the request offers. */
  tools: string[];
  maxTokens?: number;
}

/** What a logged request was: a scripted model call, or a helper call the stand-in answers by itself. */
export type RequestKind = 'model' | 'router' | 'title' | 'other';

export type { WireChunk };

/** A request as the dialect stand-ins log it: the Anthropic-shaped view plus the dialect and kind. */
export interface DialectRequest extends LoggedRequest {
  dialect: string;
  kind: RequestKind;
}

/** A scripted failure; `retryAfterMs` adds the `retry-after-ms` header some clients honour (OpenCode). */
export type DialectFailure = Failure & { retryAfterMs?: number };

/** How a dialect answers. */
export interface DialectResponse {
  /** Streamed: the chunks, in order. */
  chunks?: WireChunk[];
  /** Not streamed: the JSON body. */
  json?: object;
}

/** One API dialect (OpenAI Responses, Gemini, Chat Completions). */
export interface Dialect {
  readonly name: string;
  /** Whether `method path` is a model call of this dialect; undefined answers 404. */
  route(method: string, path: string, query: string): { stream: boolean } | undefined;
  /** The request body as an Anthropic-shaped body. */
  normalize(body: any, path: string, stream: boolean): Normalized;
  /** Strips text the CLI wraps around the user's words (context blocks), for `prompt`. */
  cleanPrompt?(prompt: string): string;
  /** Helper calls answered without the rules (routing classifiers, title generators). */
  automatic?(request: DialectRequest): { kind: RequestKind; turn: Turn } | undefined;
  /** The rendered turn on the wire. */
  respond(rendered: Rendered, stream: boolean): DialectResponse;
  /** Error body and extra headers for an HTTP failure. */
  error(status: number, message: string, failure?: DialectFailure): { body: object; headers?: Record<string, string> };
}
