// What every stand-in server shares, whatever API it speaks: the scripted rules with their failure counters,
// the request log with its waiters, turn rendering, and the loopback HTTP server with its shutdown.
// Each API's server (./server.ts, and the OpenAI/Gemini dialects under test/support/) adds routes and wire format.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LoggedRequest } from './request.js';
import { renderTurn, type Rendered } from './respond.js';
import { resolveTurn, text, type Failure, type Rule, type TurnSpec, type Usage } from './script.js';

/** How to start a stand-in. */
export interface StandInOptions<T extends LoggedRequest = LoggedRequest> {
  /** Tried in order; the first whose `match` fits the request answers it. */
  rules?: Rule[];
  /** Answer for requests no rule matches (default: text 'stand-in reply'). */
  defaultReply?: TurnSpec | TurnSpec[];
  /** Token counts per reply (default 100 input, 20 output, no cache: $0.0008 per reply on claude-opus-5-5). */
  usage?: Partial<Usage>;
  /** Port to listen on (default: a free one). Always binds 127.0.0.1. */
  port?: number;
  /** Called with every logged request, before it is answered. */
  onRequest?: (request: T) => void;
}

/** The controls every running stand-in offers. */
export interface StandInControls<T extends LoggedRequest = LoggedRequest> {
  /** `http://127.0.0.1:PORT`, the base URL to give the CLI. */
  readonly url: string;
  readonly port: number;
  /** Every request received (model calls, helper calls, unknown routes), oldest first. */
  readonly requests: T[];
  /** Replace the rules (and optionally the default reply); resets failure counters. */
  setRules(rules: Rule[], defaultReply?: TurnSpec | TurnSpec[]): void;
  setUsage(usage: Partial<Usage>): void;
  /** Forget logged requests and failure counters. */
  reset(): void;
  /** Resolve with the first logged request (past or future) that satisfies `predicate`. */
  waitForRequest(predicate?: (request: T) => boolean, options?: { timeoutMs?: number }): Promise<T>;
  /** Stop listening, drop open connections and pending delays. */
  close(): Promise<void>;
}

/** One chunk of a streamed answer, written as is, then a pause. */
export interface WireChunk {
  data: string;
  pauseMs?: number;
}

/** One HTTP request, its body read; `signal` aborts when the connection closes. */
export interface StandInCall {
  req: IncomingMessage;
  res: ServerResponse;
  raw: string;
  /** `raw` parsed as JSON, undefined when empty or not JSON. */
  body: any;
  receivedAt: number;
  signal: AbortSignal;
}

/** What an API's request handler gets from the shared plumbing. */
export interface StandInContext<T extends LoggedRequest> {
  /** The next 1-based arrival number. */
  nextSeq(): number;
  /** Append to the log and tell `onRequest` and matching waiters. */
  log(entry: T): void;
  /** Names the answering rule in `entry.rule`; returns its failure when one is due, else the turn to send. */
  pick(entry: T): { failure: Failure } | { spec: TurnSpec };
  /** Resolves and renders `spec`, notes the response in the log, then waits the turn's delay. */
  prepare(entry: T, spec: TurnSpec, defaultModel: string, signal: AbortSignal): Promise<Rendered>;
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

// Wait `ms`, cut short when `signal` aborts.
export function sleep(ms: number | undefined, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (!ms || ms <= 0 || signal.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
}

// Send a JSON body with its length.
export function sendJson(res: ServerResponse, status: number, body: object, headers: Record<string, string> = {}): void {
  const data = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data), ...headers });
  res.end(data);
}

// Stream chunks as server-sent events, honouring back-pressure and pauses; stops when the client goes away.
export async function sendStream(call: StandInCall, chunks: Iterable<WireChunk>, headers: Record<string, string> = {}): Promise<void> {
  const { res, signal } = call;
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...headers });
  for (const chunk of chunks) {
    if (res.destroyed || signal.aborted) return;
    if (!res.write(chunk.data)) await new Promise((r) => res.once('drain', r));
    await sleep(chunk.pauseMs, signal);
  }
  res.end();
}

/** What an API's server plugs into `serveStandIn`. */
export interface StandInSetup<T extends LoggedRequest> {
  options: StandInOptions<T>;
  /** Names the stand-in in errors, e.g. `model` → "stand-in model: …". */
  label: string;
  /** Log and answer one request. */
  handle(call: StandInCall, context: StandInContext<T>): Promise<void>;
  /** The 500 body sent when `handle` throws before answering. */
  crashBody(message: string): object;
}

// Start a stand-in on a loopback port (a free one unless `options.port` is set).
export async function serveStandIn<T extends LoggedRequest>(setup: StandInSetup<T>): Promise<StandInControls<T>> {
  const { options } = setup;
  let rules = options.rules ?? [];
  let defaultReply: TurnSpec[] = [options.defaultReply ?? text('stand-in reply')].flat();
  let usage: Usage = { ...BASE_USAGE, ...options.usage };
  let hits = new Map<Rule, number>();
  const requests: T[] = [];
  const waiters = new Set<{ predicate: (r: T) => boolean; resolve: (r: T) => void }>();
  const aborts = new Set<AbortController>();
  let seq = 0;

  const context: StandInContext<T> = {
    nextSeq: () => ++seq,
    log(entry) {
      requests.push(entry);
      options.onRequest?.(entry);
      for (const w of waiters) {
        if (!w.predicate(entry)) continue;
        waiters.delete(w);
        w.resolve(entry);
      }
    },
    pick(entry) {
      const index = rules.findIndex((r) => matches(r, entry));
      const rule = rules[index];
      const k = rule ? (hits.get(rule) ?? 0) : 0;
      if (rule) hits.set(rule, k + 1);
      entry.rule = rule ? ruleName(rule, index) : 'default';
      const failure = rule && failureFor(rule, k);
      if (failure) return { failure };
      const turns: TurnSpec[] = rule ? (rule.reply === undefined ? defaultReply : [rule.reply].flat()) : defaultReply;
      return { spec: turns[entry.turnIndex] ?? (rule?.repeat ? turns[turns.length - 1] : undefined) ?? FALLBACK };
    },
    async prepare(entry, spec, defaultModel, signal) {
      const lastToolResult = entry.toolResults[0]?.content ?? '';
      const turn = resolveTurn(spec, { request: entry, turnIndex: entry.turnIndex, toolResults: entry.toolResults, lastToolResult });
      const rendered = renderTurn(turn, entry.model || defaultModel, { ...usage, ...turn.usage });
      const toolNames = rendered.content.flatMap((b) => (b.type === 'tool_use' ? [b.name] : []));
      const textOut = rendered.content.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join('');
      entry.response = { status: 200, kind: entry.stream ? (toolNames.length ? 'tool_use' : 'text') : 'json', text: textOut.slice(0, 200), toolNames };
      await sleep(turn.delayMs, signal);
      return rendered;
    },
  };

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
    return setup.handle({ req, res, raw, body, receivedAt, signal: controller.signal }, context);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      sendJson(res, 500, setup.crashBody(`stand-in crashed: ${error instanceof Error ? error.message : String(error)}`));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
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
        const waiter = { predicate, resolve: (r: T) => (clearTimeout(timer), resolve(r)) };
        const timer = setTimeout(() => (waiters.delete(waiter), reject(new Error(`stand-in ${setup.label}: no matching request within ${timeoutMs} ms`))), timeoutMs);
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
