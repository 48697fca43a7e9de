// One stand-in server for any API dialect: the same rules, turns, failures and request log as the Anthropic
// stand-in (src/stand-in/engine.ts runs both), and the dialect's own routes and wire format.
import { sendJson, sendStream, serveStandIn, sleep, type StandInCall, type StandInContext, type StandInControls, type StandInOptions } from '../../../src/stand-in/engine.js';
import { describeRequest } from '../../../src/stand-in/request.js';
import { fail, type Failure, type TurnSpec } from '../../../src/stand-in/script.js';
import type { Dialect, DialectFailure, DialectRequest } from './types.js';

/** How to start a dialect stand-in. */
export type DialectModelOptions = StandInOptions<DialectRequest>;

/** A running dialect stand-in; each dialect's file says which path prefix after `url` its CLI wants. */
export interface DialectModel extends StandInControls<DialectRequest> {
  /** Only the scripted model calls (no routing classifier, title or unknown routes). */
  modelRequests(): DialectRequest[];
  /** The newest scripted model call. */
  readonly lastRequest: DialectRequest | undefined;
}

async function answer(dialect: Dialect, entry: DialectRequest, auto: { turn: TurnSpec } | undefined, call: StandInCall, context: StandInContext<DialectRequest>) {
  const { res, signal } = call;
  let spec: TurnSpec;
  if (auto) {
    entry.rule = entry.kind;
    spec = auto.turn;
  } else {
    const picked = context.pick(entry);
    if ('failure' in picked) {
      const failure = picked.failure as DialectFailure;
      await sleep(failure.delayMs, signal);
      const message = failure.message ?? `stand-in ${failure.status}`;
      const { body, headers = {} } = dialect.error(failure.status, message, failure);
      if (failure.retryAfter !== undefined) headers['retry-after'] = String(failure.retryAfter);
      if (failure.retryAfterMs !== undefined) headers['retry-after-ms'] = String(failure.retryAfterMs);
      entry.response = { status: failure.status, kind: 'error', text: message };
      return sendJson(res, failure.status, body, headers);
    }
    spec = picked.spec;
  }
  const rendered = await context.prepare(entry, spec, 'stand-in', signal);
  const out = dialect.respond(rendered, entry.stream);
  if (out.json) return sendJson(res, 200, out.json);
  return sendStream(call, out.chunks ?? []);
}

async function handle(dialect: Dialect, call: StandInCall, context: StandInContext<DialectRequest>) {
  const { req, res, body, receivedAt } = call;
  const [path = '', query = ''] = (req.url ?? '').split('?', 2);
  const method = req.method ?? '';
  const route = dialect.route(method, path, query);
  const http = { seq: context.nextSeq(), method, url: req.url ?? '', headers: req.headers, receivedAt };
  if (!route || body === undefined || typeof body !== 'object') {
    const entry: DialectRequest = { ...describeRequest(http, undefined), body, dialect: dialect.name, kind: 'other' };
    context.log(entry);
    const status = route ? 400 : 404;
    entry.response = { status, kind: 'error' };
    return sendJson(res, status, dialect.error(status, route ? 'stand-in: body must be a JSON object' : `stand-in: no route ${method} ${path}`).body);
  }
  const normal = dialect.normalize(body, path, route.stream);
  const view = describeRequest(http, { model: normal.model, stream: normal.stream, system: normal.system, messages: normal.messages, tools: normal.tools.map((name) => ({ name })), max_tokens: normal.maxTokens });
  const entry: DialectRequest = { ...view, body, dialect: dialect.name, kind: 'model' };
  if (dialect.cleanPrompt) entry.prompt = dialect.cleanPrompt(entry.prompt);
  const auto = dialect.automatic?.(entry);
  if (auto) entry.kind = auto.kind;
  context.log(entry);
  return answer(dialect, entry, auto, call, context);
}

// Start a stand-in speaking `dialect` on a free loopback port.
export async function startDialectModel(dialect: Dialect, options: DialectModelOptions = {}): Promise<DialectModel> {
  const controls = await serveStandIn<DialectRequest>({
    options,
    label: dialect.name,
    handle: (call, context) => handle(dialect, call, context),
    crashBody: (message) => dialect.error(500, message).body,
  });
  const modelRequests = () => controls.requests.filter((r) => r.kind === 'model');
  return {
    ...controls,
    modelRequests,
    get lastRequest() {
      return modelRequests().at(-1);
    },
  };
}

// Like `fail()`, plus `retryAfterMs` (the `retry-after-ms` header OpenCode honours, 0 = retry at once).
export function dialectFail(status: number, options: Partial<Omit<DialectFailure, 'kind' | 'status'>> = {}): Failure {
  const { retryAfterMs, ...rest } = options;
  return { ...fail(status, rest), ...(retryAfterMs === undefined ? {} : { retryAfterMs }) } as DialectFailure;
}

// `data: <json>\n\n`, the SSE framing every dialect here uses (an `event:` line first when named).
export function sse(data: unknown, event?: string): string {
  return `${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;
}

// Tool input as an object: the API sends arguments as a JSON string.
export function parseArguments(raw: unknown): unknown {
  if (typeof raw !== 'string') return raw ?? {};
  try {
    return JSON.parse(raw);
  } catch {
    return { raw };
  }
}

// Appends blocks to the last message when it has the same role (consecutive API items form one message).
export function pushBlocks(messages: any[], role: 'user' | 'assistant', blocks: any[]): void {
  if (blocks.length === 0) return;
  const last = messages[messages.length - 1];
  if (last?.role === role) last.content.push(...blocks);
  else messages.push({ role, content: [...blocks] });
}
