// The local worker with real processes (`agent-dispatch serve` over stdio, the worker it starts, and the sleeping
// fixture standing in for claude): several servers starting jobs at once end up with one worker under the shared
// concurrency limit; a worker killed with SIGKILL leaves a stale socket that the next job gets past; with
// AGENT_DISPATCH_WORKER=0 jobs run in their own supervisor as before.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { createJobStore } from '../../src/jobs/store/index.js';
import type { JobRecord } from '../../src/jobs/types.js';
import { silentLogger } from '../../src/shared/log.js';
import { AGENT_DISPATCH_BIN, assertBuilt, sleepingAgentEnv } from '../support/product.js';
import { killAll, survivorsAfter, waitFor, workersOf } from './procs.js';

let dir: string;
let env: Record<string, string>;
const clients: Client[] = [];

beforeAll(() => assertBuilt());

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ad-e2e-worker-'));
  mkdirSync(join(dir, 'alpha'));
  env = sleepingAgentEnv(
    dir,
    { agents: { alpha: { directory: join(dir, 'alpha') } }, settings: { max_concurrency: 2, cache: { enabled: false } } },
    { FIXTURE_SLEEP_MS: '400', FIXTURE_LOG: join(dir, 'fixture.log'), AGENT_DISPATCH_WORKER_IDLE_SECONDS: '3' },
  );
});

afterEach(async () => {
  for (const client of clients.splice(0)) await client.close().catch(() => {});
  killAll(workersOf(join(dir, 'state')));
  rmSync(dir, { recursive: true, force: true });
});

async function serve(extra: Record<string, string> = {}): Promise<Client> {
  const client = new Client({ name: 'e2e-worker', version: '1' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [AGENT_DISPATCH_BIN, 'serve'], env: { ...env, ...extra }, stderr: 'pipe' }));
  clients.push(client);
  return client;
}

async function call(client: Client, name: string, args: Record<string, unknown>): Promise<Record<string, unknown>> {
  const res = await client.callTool({ name, arguments: args });
  expect(res.isError, JSON.stringify(res.content)).toBeFalsy();
  return res.structuredContent as Record<string, unknown>;
}

async function runToEnd(client: Client, task: string): Promise<string> {
  const id = (await call(client, 'dispatch_async', { agent: 'alpha', task })).job_id as string;
  expect(await call(client, 'dispatch_wait', { job_id: id, timeout_seconds: 60 })).toMatchObject({ status: 'done' });
  return id;
}

function storedJob(id: string): JobRecord {
  const store = createJobStore({ path: join(dir, 'state', 'jobs.db'), logger: silentLogger });
  try {
    return store.get(id);
  } finally {
    store.close();
  }
}

// The most agents the fixture log shows running at the same time.
function maxOverlap(): number {
  const events = readFileSync(join(dir, 'fixture.log'), 'utf8').trim().split('\n').map((line) => line.split(' '));
  let now = 0;
  let most = 0;
  for (const [what] of events.sort((a, b) => Number(a[2]) - Number(b[2]))) {
    now += what === 'start' ? 1 : -1;
    most = Math.max(most, now);
  }
  return most;
}

describe('the local worker across processes', () => {
  it('ends up with one worker when two servers start jobs at once, under the shared concurrency limit', async () => {
    const [a, b] = await Promise.all([serve(), serve()]);
    const ids = await Promise.all([runToEnd(a!, 'one'), runToEnd(b!, 'two'), runToEnd(a!, 'three'), runToEnd(b!, 'four')]);
    const owners = new Set(ids.map((id) => storedJob(id).ownerPid));
    expect(owners.size).toBe(1);
    // Workers that lost the start race handed their jobs to the winner and left.
    const [winner] = [...owners];
    await waitFor('the losing workers to leave', () => (workersOf(join(dir, 'state')).join() === String(winner) ? true : undefined), 10_000);
    expect(maxOverlap()).toBeLessThanOrEqual(2);
  });

  it('gets past the stale socket of a worker killed with SIGKILL', async () => {
    const client = await serve();
    const first = storedJob(await runToEnd(client, 'first')).ownerPid!;
    process.kill(first, 'SIGKILL');
    expect(await survivorsAfter([first], 5_000)).toEqual([]);
    expect(readdirSync(join(dir, 'state')).some((name) => name.endsWith('.sock'))).toBe(true);
    const second = storedJob(await runToEnd(client, 'second')).ownerPid!;
    expect(second).not.toBe(first);
    expect(workersOf(join(dir, 'state'))).toEqual([second]);
  });

  it('runs each job in its own supervisor with AGENT_DISPATCH_WORKER=0', async () => {
    const client = await serve({ AGENT_DISPATCH_WORKER: '0' });
    const owner = storedJob(await runToEnd(client, 'alone')).ownerPid!;
    expect(workersOf(join(dir, 'state'))).toEqual([]);
    expect(existsSync(join(dir, 'state', 'job-runner.log'))).toBe(true);
    expect(await survivorsAfter([owner], 5_000)).toEqual([]);
  });
});
