// The stand-in model: a dependency-free Anthropic Messages API on 127.0.0.1 that tests script per run,
// so the real Claude Code CLI can be driven offline (see test/support/README.md).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describeRequest, type LoggedRequest } from './request.js';
import { errorJson, messageJson, newId, renderTurn, sseFrame, sseFrames, type Rendered } from './respond.js';
import { errorTypeFor, resolveTurn, text, type Failure, type Rule, type TurnSpec, type Usage } from './script.js';

export * from './script.js';
export { allText, contentText, type LoggedRequest, type ToolResult } from './request.js';

/** How to start the stand-in. */
export interface FakeModelOptions {
  /** Tried in order; the first whose `match` fits the request answers it. */
  rules?: Rule[];
  /** Answer for requests no rule matches (default: text 'stand-in reply'). */
  defaultReply?: TurnSpec | TurnSpec[];
  /** Model-wide token counts (default 100 input, 20 output, no cache: $0.0008 per reply on claude-opus-5-5). */
  usage?: Partial<Usage>;
  /** Port to listen on (default: a free one). Always binds 127.0.0.1. */
  port?: number;
  /** Called with every logged request, before it is answered. */
  onRequest?: (request: LoggedRequest) => void;
}

/** A running stand-in model. */
export interface FakeModel {
  /** Base URL for ANTHROPIC_BASE_URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  readonly port: number;
  /** Every request received (messages, count_tokens, unknown routes), oldest first. */
  readonly requests: LoggedRequest[];
  /** The newest `POST /v1/messages` request. */
  readonly lastRequest: LoggedRequest | undefined;
  /** Only the `POST /v1/messages` requests. */
  messageRequests(): LoggedRequest[];
  /** Replace the rules (and optionally the default reply); resets failure counters. */
  setRules(rules: Rule[], defaultReply?: TurnSpec | TurnSpec[]): void;
  setUsage(usage: Partial<Usage>): void;
  /** Forget logged requests and failure counters. */
  reset(): void;
  /** Resolve with the first logged request (past or future) that satisfies `predicate`. */
  waitForRequest(predicate?: (request: LoggedRequest) => boolean, options?: { timeoutMs?: number }): Promise<LoggedRequest>;
  /** Stop listening, drop open connections and pending delays. */
  close(): Promise<void>;
}

const BASE_USAGE: Usage = { input_tokens: 100, output_tokens: 20, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
const FALLBACK = text('(stand-in model: no more scripted turns)');

function matches(rule: Rule, request: LoggedRequest): boolean {
  const m = rule.match;
  if (m === undefined) return true;
  if (typeof m === 'string') return request.prompt.includes(m);
  if (m instanceof RegExp) {
    m.lastIndex = 0;
    return m.test(request.prompt);
  }
  return m(request);
}

function ruleName(rule: Rule, index: number): string {
  if (rule.name) return rule.name;
  if (typeof rule.match === 'string') return rule.match;
  if (rule.match instanceof RegExp) return String(rule.match);
  return `rule ${index}`;
}

// The failure due for the k-th request (0-based) a rule matched, if any.
function failureFor(rule: Rule, k: number): Failure | undefined {
  let start = 0;
  for (const f of rule.fail === undefined ? [] : Array.isArray(rule.fail) ? rule.fail : [rule.fail]) {
    if (k < start + f.times) return f;
    start += f.times;
  }
  return undefined;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

// Start a stand-in model on a free loopback port.
export async function startFakeModel(options: FakeModelOptions = {}): Promise<FakeModel> {
  let rules = options.rules ?? [];
  let defaultReply: TurnSpec[] = [options.defaultReply ?? text('stand-in reply')].flat();
  let usage: Usage = { ...BASE_USAGE, ...options.usage };
  let hits = new Map<Rule, number>();
  const requests: LoggedRequest[] = [];
  const waiters = new Set<{ predicate: (r: LoggedRequest) => boolean; resolve: (r: LoggedRequest) => void }>();
  const aborts = new Set<AbortController>();
  let seq = 0;

  const sleep = (ms: number | undefined, signal: AbortSignal) =>
    new Promise<void>((resolve) => {
      if (!ms || ms <= 0 || signal.aborted) return resolve();
      const timer = setTimeout(resolve, ms);
      signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    });

  const sendJson = (res: ServerResponse, status: number, body: object, headers: Record<string, string> = {}) => {
    const data = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data), ...headers });
    res.end(data);
  };

  const log = (entry: LoggedRequest) => {
    requests.push(entry);
    options.onRequest?.(entry);
    for (const w of waiters) {
      if (!w.predicate(entry)) continue;
      waiters.delete(w);
      w.resolve(entry);
    }
  };

  async function answerMessages(entry: LoggedRequest, res: ServerResponse, signal: AbortSignal) {
    const index = rules.findIndex((r) => matches(r, entry));
    const rule = rules[index];
    const k = rule ? (hits.get(rule) ?? 0) : 0;
    if (rule) hits.set(rule, k + 1);
    entry.rule = rule ? ruleName(rule, index) : 'default';
    const failure = rule && failureFor(rule, k);
    const requestId = newId('req_');
    if (failure) {
      await sleep(failure.delayMs, signal);
      const headers: Record<string, string> = { 'request-id': requestId };
      if (failure.retryAfter !== undefined) headers['retry-after'] = String(failure.retryAfter);
      if (failure.shouldRetry !== undefined) headers['x-should-retry'] = String(failure.shouldRetry);
      const message = failure.message ?? `stand-in ${failure.status}`;
      entry.response = { status: failure.status, kind: 'error', text: message };
      return sendJson(res, failure.status, errorJson(failure.type ?? errorTypeFor(failure.status), message, requestId), headers);
    }
    const turns: TurnSpec[] = rule ? (rule.reply === undefined ? defaultReply : [rule.reply].flat()) : defaultReply;
    const spec = turns[entry.turnIndex] ?? (rule?.repeat ? turns[turns.length - 1] : undefined) ?? FALLBACK;
    const lastToolResult = entry.toolResults[0]?.content ?? '';
    const turn = resolveTurn(spec, { request: entry, turnIndex: entry.turnIndex, toolResults: entry.toolResults, lastToolResult });
    const rendered: Rendered = renderTurn(turn, entry.model || 'claude-opus-5-5', { ...usage, ...turn.usage });
    const toolNames = rendered.content.flatMap((b) => (b.type === 'tool_use' ? [b.name] : []));
    const textOut = rendered.content.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join('');
    entry.response = { status: 200, kind: entry.stream ? (toolNames.length ? 'tool_use' : 'text') : 'json', text: textOut.slice(0, 200), toolNames };
    await sleep(turn.delayMs, signal);
    if (!entry.stream) return sendJson(res, 200, messageJson(rendered), { 'request-id': requestId });
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'request-id': requestId });
    for (const frame of sseFrames(rendered)) {
      if (res.destroyed || signal.aborted) return;
      if (!res.write(sseFrame(frame))) await new Promise((r) => res.once('drain', r));
      await sleep(frame.pauseMs, signal);
    }
    res.end();
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const receivedAt = Date.now();
    const controller = new AbortController();
    aborts.add(controller);
    res.on('close', () => (controller.abort(), aborts.delete(controller)));
    const raw = await readBody(req);
    let body: any;
    try {
      body = raw === '' ? undefined : JSON.parse(raw);
    } catch {
      body = undefined;
    }
    const entry = describeRequest({ seq: ++seq, method: req.method ?? '', url: req.url ?? '', headers: req.headers, receivedAt }, body);
    log(entry);
    const route = `${entry.method} ${entry.path}`;
    if (route === 'POST /v1/messages' || route === 'POST /v1/messages/count_tokens') {
      if (body === undefined || typeof body !== 'object') {
        entry.response = { status: 400, kind: 'error' };
        return sendJson(res, 400, errorJson('invalid_request_error', 'stand-in: body must be a JSON object', newId('req_')));
      }
      if (route === 'POST /v1/messages') return answerMessages(entry, res, controller.signal);
      entry.response = { status: 200, kind: 'json' };
      return sendJson(res, 200, { input_tokens: Math.ceil(raw.length / 4) });
    }
    entry.response = { status: 404, kind: 'error' };
    sendJson(res, 404, errorJson('not_found_error', `stand-in: no route ${route}`, newId('req_')));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      sendJson(res, 500, errorJson('api_error', `stand-in crashed: ${error instanceof Error ? error.message : String(error)}`, newId('req_')));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  const messageRequests = () => requests.filter((r) => r.method === 'POST' && r.path === '/v1/messages');
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    get lastRequest() {
      return messageRequests().at(-1);
    },
    messageRequests,
    setRules(next, nextDefault) {
      rules = next;
      if (nextDefault !== undefined) defaultReply = [nextDefault].flat();
      hits = new Map();
    },
    setUsage(next) {
      usage = { ...BASE_USAGE, ...next };
    },
    reset() {
      requests.length = 0;
      hits = new Map();
    },
    waitForRequest(predicate = () => true, { timeoutMs = 30_000 } = {}) {
      const seen = requests.find(predicate);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const waiter = { predicate, resolve: (r: LoggedRequest) => (clearTimeout(timer), resolve(r)) };
        const timer = setTimeout(() => (waiters.delete(waiter), reject(new Error(`stand-in model: no matching request within ${timeoutMs} ms`))), timeoutMs);
        timer.unref();
        waiters.add(waiter);
      });
    },
    close() {
      for (const c of aborts) c.abort();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
export { scriptFromJson, type JsonScript } from './json-script.js';
