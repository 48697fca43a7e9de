// Dashboard test helpers: a temp job store filled with jobs in every state, the app built on it, and a
// request helper that sends what a signed-in browser on 127.0.0.1 would (Host, Authorization).
import { afterEach, beforeEach } from 'vitest';
import { createDispatchService } from '../../src/jobs/service.js';
import type { JobStore } from '../../src/jobs/store/types.js';
import { emptyConfig } from '../../src/config/schema.js';
import { createRunner } from '../../src/runner/index.js';
import type { RunEvent } from '../../src/shared/types.js';
import { createApp, type WebApp } from '../../src/web/app.js';
import type { AgentInfo, Budgets } from '../../src/web/deps.js';
import { runResult, storeFactory } from '../jobs/support/store.js';

export const TOKEN = 'test-token-0123456789abcdefghijklmnopqrstuv';
export const PORT = 7788;
export const HOST = `127.0.0.1:${PORT}`;

/** A timeline with a tool call, its result and text. */
export const EVENTS: RunEvent[] = [
  { type: 'init', sessionId: 's1', model: 'claude-test', tools: ['Bash', 'Read'] },
  { type: 'text', text: 'Looking at the files.' },
  { type: 'tool_use', id: 't1', name: 'Bash', input: { command: 'ls -la src' } },
  { type: 'tool_result', toolUseId: 't1', isError: false, content: 'a.ts\nb.ts' },
  { type: 'text', text: 'There are two files.' },
  { type: 'result', ok: true, text: 'There are two files.', costUsd: 0.25, numTurns: 2 },
];

/** A store with a clock the test moves. */
export function testStore() {
  const factory = storeFactory();
  const clock = { now: Date.now() };
  const store = factory.open({ now: () => clock.now });
  return { store, clock, factory, cleanup: () => factory.cleanup() };
}

/** A filled test store and the ids of its jobs. */
export interface FilledStore {
  env: ReturnType<typeof testStore>;
  ids: ReturnType<typeof fillStore>;
}

// A store filled by fillStore for every test of the calling file, removed after it; the returned `env` and
// `ids` always stand for the current test's.
export function filledStorePerTest(): FilledStore {
  let current: FilledStore | undefined;
  beforeEach(() => {
    const env = testStore();
    current = { env, ids: fillStore(env.store) };
  });
  afterEach(() => current?.env.cleanup());
  const live = <K extends keyof FilledStore>(key: K) =>
    new Proxy({} as FilledStore[K], {
      get(_, prop) {
        if (!current) throw new Error('filledStorePerTest: no store outside a test');
        return Reflect.get(current[key], prop);
      },
    });
  return { env: live('env'), ids: live('ids') };
}

// Fill the store: a done job with a timeline, a failed one, a running one, a pending one (ids returned).
export function fillStore(store: JobStore) {
  const done = store.create({ kind: 'sync', request: { agent: 'alpha', task: 'List the files', caller: 'ops', goal: 'Know the layout', context: 'Only src/' }, prompt: '## Goal\nKnow the layout\n\n## Dispatched by\nops\n\n## Context\nOnly src/\n\n## Task\nList the files', promptParts: { caller: 'ops', goal: 'Know the layout', context: 'Only src/' } });
  store.markRunning(done.id);
  store.saveProgress(done.id, { turns: 2, lastTool: 'Bash', tail: ['Bash ls -la src'], updatedAt: Date.now(), costUsd: 0.1 }, EVENTS);
  store.finish(done.id, { status: 'done', result: runResult({ agent: 'alpha', text: 'There are two files.', costUsd: 0.25, numTurns: 2 }) });

  const failed = store.create({ kind: 'async', request: { agent: 'beta', task: 'Deploy <script>alert(1)</script>', caller: 'ci' } });
  store.markRunning(failed.id);
  store.finish(failed.id, { status: 'failed', result: runResult({ ok: false, agent: 'beta', text: '', costUsd: 0.05, error: { type: 'timeout', message: 'The agent ran past 300 s.' } }) });

  const running = store.create({ kind: 'async', request: { agent: 'alpha', task: 'Refactor the parser', caller: 'ops' } });
  store.markRunning(running.id);
  store.saveProgress(running.id, { turns: 1, lastTool: 'Read', tail: ['Read src/parser.ts'], updatedAt: Date.now() }, [{ type: 'tool_use', id: 't9', name: 'Read', input: { file_path: 'src/parser.ts' } }]);

  const pending = store.create({ kind: 'async', request: { agent: 'beta', task: 'Wait your turn', caller: 'ci' } });
  return { done: done.id, failed: failed.id, running: running.id, pending: pending.id };
}

export const AGENTS: AgentInfo[] = [
  { name: 'alpha', directory: '/p/alpha', description: 'The API', healthy: true },
  { name: 'beta', directory: '/p/beta', healthy: false, problem: 'directory /p/beta does not exist' },
];

// The app on a store, with the real dispatch service for cancel.
export function appFor(store: JobStore, options: { budgets?: Budgets; now?: () => number } = {}): WebApp {
  const dispatcher = createDispatchService({ config: () => emptyConfig(), runner: () => createRunner(), store });
  return createApp({
    store,
    dispatcher,
    agents: () => AGENTS,
    budgets: () => options.budgets ?? { daily: 1, agents: { alpha: 0.5 } },
    token: TOKEN,
    port: () => PORT,
    ...(options.now ? { now: options.now } : {}),
  });
}

/** Request options: headers win over the signed-in defaults; `null` drops a default header. */
export interface Req {
  method?: string;
  headers?: Record<string, string | null>;
  body?: string;
  signal?: AbortSignal;
}

// Send a request as a client on 127.0.0.1 with the bearer token unless told otherwise.
export function send(app: WebApp, path: string, options: Req = {}): Promise<Response> {
  const headers: Record<string, string> = {};
  const merged = { host: HOST, authorization: `Bearer ${TOKEN}`, ...options.headers };
  for (const [k, v] of Object.entries(merged)) if (v !== null) headers[k] = v;
  return Promise.resolve(
    app.request(`http://${HOST}${path}`, { method: options.method ?? 'GET', headers, ...(options.body !== undefined ? { body: options.body } : {}), ...(options.signal ? { signal: options.signal } : {}) }),
  );
}

// Read an SSE response until `predicate` matches the text so far (or the time runs out).
export async function readUntil(response: Response, predicate: (text: string) => boolean, timeoutMs = 5000): Promise<string> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = '';
  const deadline = Date.now() + timeoutMs;
  try {
    while (!predicate(text)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out; got:\n${text}`);
      const chunk = await Promise.race([reader.read(), new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`timed out; got:\n${text}`)), left))]);
      if (chunk.done) break;
      text += decoder.decode(chunk.value, { stream: true });
    }
    return text;
  } finally {
    await reader.cancel().catch(() => {});
  }
}
