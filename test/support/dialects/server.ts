// One stand-in server for any API dialect: the same rules, turns and failures as the Anthropic stand-in
// (src/stand-in/script.ts), a request log in the same shape, and the dialect's own wire format.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describeRequest } from '../../../src/stand-in/request.js';
import { renderTurn } from '../../../src/stand-in/respond.js';
import { fail, resolveTurn, text, type Failure, type Rule, type TurnSpec, type Usage } from '../../../src/stand-in/script.js';
import type { Dialect, DialectFailure, DialectRequest } from './types.js';

/** How to start a dialect stand-in. */
export interface DialectModelOptions {
  /** Tried in order; the first whose `match` fits the request answers it. */
  rules?: Rule[];
  /** Answer for requests no rule matches (default: text 'stand-in reply'). */
  defaultReply?: TurnSpec | TurnSpec[];
  /** Token counts reported per reply (default 100 input, 20 output). */
  usage?: Partial<Usage>;
  /** Port to listen on (default: a free one). Always binds 127.0.0.1. */
  port?: number;
  /** Called with every logged request, before it is answered. */
  onRequest?: (request: DialectRequest) => void;
}

/** A running dialect stand-in. */
export interface DialectModel {
  /** `http://127.0.0.1:PORT` (each dialect's file says which path prefix its CLI wants). */
  readonly url: string;
  readonly port: number;
  /** Every request received, oldest first. */
  readonly requests: DialectRequest[];
  /** Only the scripted model calls (no routing classifier, title or unknown routes). */
  modelRequests(): DialectRequest[];
  /** The newest scripted model call. */
  readonly lastRequest: DialectRequest | undefined;
  setRules(rules: Rule[], defaultReply?: TurnSpec | TurnSpec[]): void;
  setUsage(usage: Partial<Usage>): void;
  /** Forget logged requests and failure counters. */
  reset(): void;
  /** Resolve with the first logged request (past or future) that satisfies `predicate`. */
  waitForRequest(predicate?: (request: DialectRequest) => boolean, options?: { timeoutMs?: number }): Promise<DialectRequest>;
  close(): Promise<void>;
}

const BASE_USAGE: Usage = { input_tokens: 100, output_tokens: 20, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
const FALLBACK = text('(stand-in model: no more scripted turns)');

function matches(rule: Rule, request: DialectRequest): boolean {
  const m = rule.match;
  if (m === undefined) return true;
  if (typeof m === 'string') return request.prompt.includes(m);
  if (m instanceof RegExp) {
    m.lastIndex = 0;
    return m.test(request.prompt);
  }
  return m(request);
}

function failureFor(rule: Rule, k: number): Failure | undefined {
  let start = 0;
  for (const f of rule.fail === undefined ? [] : [rule.fail].flat()) {
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

// Start a stand-in speaking `dialect` on a free loopback port.
export async function startDialectModel(dialect: Dialect, options: DialectModelOptions = {}): Promise<DialectModel> {
  let rules = options.rules ?? [];
  let defaultReply: TurnSpec[] = [options.defaultReply ?? text('stand-in reply')].flat();
  let usage: Usage = { ...BASE_USAGE, ...options.usage };
  let hits = new Map<Rule, number>();
  const requests: DialectRequest[] = [];
  const waiters = new Set<{ predicate: (r: DialectRequest) => boolean; resolve: (r: DialectRequest) => void }>();
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
  const log = (entry: DialectRequest) => {
    requests.push(entry);
    options.onRequest?.(entry);
    for (const w of waiters) {
      if (!w.predicate(entry)) continue;
      waiters.delete(w);
      w.resolve(entry);
    }
  };

  async function answer(entry: DialectRequest, auto: { turn: TurnSpec } | undefined, res: ServerResponse, signal: AbortSignal) {
    let spec: TurnSpec;
    if (auto) {
      entry.rule = entry.kind;
      spec = auto.turn;
    } else {
      const index = rules.findIndex((r) => matches(r, entry));
      const rule = rules[index];
      const k = rule ? (hits.get(rule) ?? 0) : 0;
      if (rule) hits.set(rule, k + 1);
      entry.rule = rule ? (rule.name ?? (typeof rule.match === 'string' ? rule.match : `rule ${index}`)) : 'default';
      const failure = rule && (failureFor(rule, k) as DialectFailure | undefined);
      if (failure) {
        await sleep(failure.delayMs, signal);
        const message = failure.message ?? `stand-in ${failure.status}`;
        const { body, headers = {} } = dialect.error(failure.status, message, failure);
        if (failure.retryAfter !== undefined) headers['retry-after'] = String(failure.retryAfter);
        if (failure.retryAfterMs !== undefined) headers['retry-after-ms'] = String(failure.retryAfterMs);
        entry.response = { status: failure.status, kind: 'error', text: message };
        return sendJson(res, failure.status, body, headers);
      }
      const turns: TurnSpec[] = rule ? (rule.reply === undefined ? defaultReply : [rule.reply].flat()) : defaultReply;
      spec = turns[entry.turnIndex] ?? (rule?.repeat ? turns[turns.length - 1] : undefined) ?? FALLBACK;
    }
    const lastToolResult = entry.toolResults[0]?.content ?? '';
    const turn = resolveTurn(spec, { request: entry, turnIndex: entry.turnIndex, toolResults: entry.toolResults, lastToolResult });
    const rendered = renderTurn(turn, entry.model || 'stand-in', { ...usage, ...turn.usage });
    const toolNames = rendered.content.flatMap((b) => (b.type === 'tool_use' ? [b.name] : []));
    const textOut = rendered.content.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join('');
    entry.response = { status: 200, kind: entry.stream ? (toolNames.length ? 'tool_use' : 'text') : 'json', text: textOut.slice(0, 200), toolNames };
    await sleep(turn.delayMs, signal);
    const out = dialect.respond(rendered, entry.stream);
    if (out.json) return sendJson(res, 200, out.json);
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    for (const chunk of out.chunks ?? []) {
      if (res.destroyed || signal.aborted) return;
      if (!res.write(chunk.data)) await new Promise((r) => res.once('drain', r));
      await sleep(chunk.pauseMs, signal);
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
    const [path = '', query = ''] = (req.url ?? '').split('?', 2);
    const method = req.method ?? '';
    const route = dialect.route(method, path, query);
    const http = { seq: ++seq, method, url: req.url ?? '', headers: req.headers, receivedAt };
    if (!route || body === undefined || typeof body !== 'object') {
      const entry: DialectRequest = { ...describeRequest(http, undefined), body, dialect: dialect.name, kind: 'other' };
      log(entry);
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
    log(entry);
    return answer(entry, auto, res, controller.signal);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      sendJson(res, 500, dialect.error(500, `stand-in crashed: ${error instanceof Error ? error.message : String(error)}`).body);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const modelRequests = () => requests.filter((r) => r.kind === 'model');
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    modelRequests,
    get lastRequest() {
      return modelRequests().at(-1);
    },
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
        const waiter = { predicate, resolve: (r: DialectRequest) => (clearTimeout(timer), resolve(r)) };
        const timer = setTimeout(() => (waiters.delete(waiter), reject(new Error(`stand-in ${dialect.name}: no matching request within ${timeoutMs} ms`))), timeoutMs);
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
