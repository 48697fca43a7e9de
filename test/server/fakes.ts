// In-memory stand-ins for the server's services, for tests of the MCP surface itself.
// (End-to-end tests use the real services with the real CLI.)
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { createServerFactory, type FactoryOptions } from '../../src/server/create-server.js';
import type { DepsSource } from '../../src/server/deps.js';
import type { AgentCatalog } from '../../src/server/catalog-types.js';
import type { Dispatcher, DispatchOutcome } from '../../src/jobs/dispatcher.js';
import type { DispatchRequest, JobRecord } from '../../src/jobs/types.js';
import type { RunResult } from '../../src/shared/types.js';
import { DispatchError } from '../../src/shared/errors.js';
import { ResultCache } from '../../src/cache/cache.js';
import { silentLogger } from '../../src/shared/log.js';

// A RunResult with defaults, for tests.
export function runResult(overrides: Partial<RunResult> = {}): RunResult {
  return {
    ok: true, agent: 'alpha', runtime: 'claude', text: 'done', costUsd: 0.01,
    usage: { inputTokens: 10, outputTokens: 5, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 },
    numTurns: 1, durationMs: 1200, permissionDenials: [], exitCode: 0, signal: null, stderrTail: '',
    sessionId: '11111111-2222-4333-8444-555555555555', ...overrides,
  };
}

/** A dispatcher whose answers come from a function; records every request. */
export function fakeDispatcher(answer: (req: DispatchRequest) => RunResult | Promise<RunResult> = (r) => runResult({ agent: r.agent, text: `answer to ${r.task}` })) {
  const requests: DispatchRequest[] = [];
  const jobs = new Map<string, JobRecord>();
  const cache = new ResultCache<RunResult>();
  let n = 0;
  const status = (id: string): JobRecord => {
    const found = jobs.get(id);
    if (!found) throw new DispatchError('JOB_NOT_FOUND', `No job ${id}.`);
    return found;
  };
  const dispatcher: Dispatcher & { requests: DispatchRequest[]; jobsMap: Map<string, JobRecord> } = {
    requests,
    jobsMap: jobs,
    async dispatch(request, options = {}): Promise<DispatchOutcome> {
      requests.push(request);
      const id = (++n).toString(16).padStart(32, '0');
      options.onJob?.(id);
      options.onEvent?.({ type: 'tool_use', id: 't1', name: 'Bash', input: { command: 'ls' } }, 'turn 1 · Bash: ls');
      const result = await answer(request);
      jobs.set(id, job(id, request, result));
      return { jobId: id, result, cached: false };
    },
    async start(request) {
      const id = (++n).toString(16).padStart(32, '0');
      const record = job(id, request, undefined);
      jobs.set(id, record);
      return record;
    },
    status,
    async wait(id) {
      return { job: status(id), timedOut: false };
    },
    async cancel(id) {
      return { outcome: 'cancelled', job: { ...status(id), status: 'cancelled' } };
    },
    tasks: {
      status,
      requestCancel: (id) => ({ outcome: 'cancelled', job: { ...status(id), status: 'cancelled' } }),
      cachedAnswer: async () => undefined,
      taskLink: () => undefined,
      answerInput: () => undefined,
      createTaskGroup: (input) => ({ ...input, id: 'f'.repeat(32), createdAt: Date.now() }),
      taskGroup: () => undefined,
      retentionDays: () => 0,
      async reply(jobId) {
        throw new DispatchError('INVALID_INPUT', `Job ${jobId} has no permission request waiting.`);
      },
    },
    jobs: () => [...jobs.values()].map((j) => ({ id: j.id, agent: j.agent, caller: j.caller, status: j.status, kind: j.kind, task: j.request.task, createdAt: j.createdAt, turns: 0, cancelRequested: false })),
    gc: () => 0,
    cacheStats: () => cache.stats(),
    clearCache: () => cache.clear(),
    maxConcurrency: () => 2,
    async abortAll() {},
    async reply(jobId) {
      throw new DispatchError('INVALID_INPUT', `Job ${jobId} has no permission request waiting.`);
    },
  };
  return dispatcher;
}

function job(id: string, request: DispatchRequest, result: RunResult | undefined): JobRecord {
  return {
    id, kind: 'sync', status: result ? (result.ok ? 'done' : 'failed') : 'pending', agent: request.agent, caller: request.caller ?? '',
    request, createdAt: Date.now(), cancelRequested: false, progress: { turns: 0, tail: [], updatedAt: Date.now() }, ...(result ? { result } : {}),
  };
}

/** A catalog with fixed agents. */
export function fakeCatalog(names = ['alpha', 'beta']): AgentCatalog {
  const known = new Set(names);
  const check = (name: string) => {
    if (!known.has(name)) throw new DispatchError('AGENT_NOT_FOUND', `Unknown agent "${name}". Known agents: ${[...known].join(', ')}. Call list_agents.`);
  };
  return {
    listAgents: async () => [...known].map((name) => ({ name, directory: `/p/${name}`, healthy: true })),
    inspectAgent: async (name) => (check(name), { name, directory: `/p/${name}` }),
    listGroups: async () => [],
    inspectGroup: async (name) => {
      throw new DispatchError('GROUP_NOT_FOUND', `Unknown group "${name}".`);
    },
    addAgent: async (name, directory) => (known.add(name), { name, directory }),
    updateAgent: async (name) => (check(name), { name, directory: `/p/${name}` }),
    removeAgent: async (name) => void (check(name), known.delete(name)),
    assertDispatchable: (agent) => check(agent),
  };
}

// Serve the tools in process through the SDK's serveStdio entry (both eras) over an in-memory pair; `transport` is
// the client's end, usable by the v1 SDK Client (2025-11-25) or by raw JSON-RPC (2026-07-28).
export function serveInProcess(source: DepsSource, options: FactoryOptions = {}) {
  const [client, server] = InMemoryTransport.createLinkedPair();
  const handle = serveStdio(createServerFactory(source, options), { transport: server });
  return { transport: client as unknown as Transport, close: () => handle.close() };
}

// Connect a real MCP client (the v1 SDK's, protocol 2025-11-25) to a server built from the given services.
export async function connect(deps: { dispatcher?: Dispatcher; catalog?: AgentCatalog } = {}) {
  const dispatcher = deps.dispatcher ?? fakeDispatcher();
  const served = serveInProcess({ dispatcher, catalog: deps.catalog ?? fakeCatalog(), logger: silentLogger });
  const client = new Client({ name: 'test', version: '1' });
  await client.connect(served.transport);
  return { client, dispatcher, close: async () => { await client.close(); await served.close(); } };
}
