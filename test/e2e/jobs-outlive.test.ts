// Background jobs outlive the session: a job started through one `agent-dispatch serve` (real Claude Code CLI,
// stand-in model with a delayed reply) finishes after that server is SIGKILLed, and a new server reads its result.
// The job runs in the local worker (src/jobs/worker/), which leaves once idle. A worker SIGKILLed mid-job leaves a
// job the next server reports failed, with the reason, and its agent stopped; a cancel stops the agent's tree.
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { createJobStore } from '../../src/jobs/store/index.js';
import type { JobRecord } from '../../src/jobs/types.js';
import { silentLogger } from '../../src/shared/log.js';
import { text, toolUse } from '../support/fake-anthropic.js';
import { createBackbone, type Backbone } from '../support/harness.js';
import { AGENT_DISPATCH_BIN, assertBuilt, setupProduct, type ProductSetup } from '../support/product.js';
import { readdirSync } from 'node:fs';
import { isAlive, killAll, survivorsAfter, waitFor, workersOf } from './procs.js';

let bb: Backbone;
let setup: ProductSetup;
let readme: string;
const leftovers: number[] = [];
const clients: Client[] = [];

beforeAll(async () => {
  assertBuilt();
  bb = await createBackbone({
    rules: [
      { match: 'slow job', reply: [toolUse('Read', () => ({ file_path: readme })), text('finished late', { delayMs: 6000 })] },
      { match: 'stuck job', reply: [toolUse('Read', () => ({ file_path: readme })), text('never delivered', { delayMs: 20_000 })] },
    ],
  });
  const alpha = bb.project('alpha', { claudeMd: 'Answer briefly.', files: { 'README.md': 'alpha readme\n' } });
  readme = join(alpha, 'README.md');
  // A short idle time, so the test sees the worker leave.
  setup = setupProduct(bb, { agents: { alpha: { directory: alpha, description: 'The alpha service' } } }, { AGENT_DISPATCH_WORKER_IDLE_SECONDS: '2' });
});

afterEach(async () => {
  for (const client of clients.splice(0)) await client.close().catch(() => {});
  killAll(leftovers.splice(0));
});

afterAll(async () => {
  if (setup) killAll(workersOf(setup.stateDir));
  await bb?.cleanup();
});

// Start `agent-dispatch serve` with an SDK client; returns the client and the server's pid.
async function serve(): Promise<{ client: Client; pid: number }> {
  const client = new Client({ name: 'e2e-jobs', version: '1' });
  const transport = new StdioClientTransport({ command: process.execPath, args: [AGENT_DISPATCH_BIN, 'serve'], env: setup.env as Record<string, string>, stderr: 'pipe' });
  await client.connect(transport);
  clients.push(client);
  const pid = transport.pid!;
  leftovers.push(pid);
  return { client, pid };
}

// The job as stored (the test reads the shared database directly, as a third process would).
function storedJob(id: string): JobRecord {
  const store = createJobStore({ path: join(setup.stateDir, 'jobs.db'), logger: silentLogger });
  try {
    return store.get(id);
  } finally {
    store.close();
  }
}

async function call(client: Client, name: string, args: Record<string, unknown>): Promise<Record<string, unknown>> {
  const res = await client.callTool({ name, arguments: args });
  expect(res.isError, JSON.stringify(res.content)).toBeFalsy();
  return res.structuredContent as Record<string, unknown>;
}

describe('background jobs across server processes', () => {
  it('finishes a job after its server was SIGKILLed and hands the result to a new server', async () => {
    const first = await serve();
    const started = await call(first.client, 'dispatch_async', { agent: 'alpha', task: 'Run the slow job', caller: 'e2e' });
    const jobId = started.job_id as string;
    expect(started).toMatchObject({ status: 'pending', agent: 'alpha' });
    // Wait until the agent is mid-job (its tool call is recorded), then kill the server that started it.
    await waitFor('the agent to call its tool', () => (storedJob(jobId).progress.lastTool?.startsWith('Read') ? true : undefined));
    const running = storedJob(jobId);
    leftovers.push(running.ownerPid!);
    expect(running.ownerPid).not.toBe(first.pid);
    process.kill(first.pid, 'SIGKILL');
    expect(await survivorsAfter([first.pid], 5_000)).toEqual([]);

    const second = await serve();
    const status = await call(second.client, 'dispatch_status', { job_id: jobId });
    expect(status).toMatchObject({ status: 'running', last_tool: expect.stringContaining('Read') });
    const done = await call(second.client, 'dispatch_wait', { job_id: jobId, timeout_seconds: 60 });
    expect(done).toMatchObject({ status: 'done', result: { success: true, result: 'finished late', job_id: jobId } });
    const fetched = await call(second.client, 'fetch_result', { ref: jobId });
    expect(fetched).toMatchObject({ success: true, result: 'finished late' });
    // The job ran in the local worker, which leaves after its idle time, taking its socket and pidfile along.
    expect(workersOf(setup.stateDir)).toEqual([running.ownerPid]);
    expect(await survivorsAfter([running.ownerPid!], 15_000)).toEqual([]);
    expect(readdirSync(setup.stateDir).filter((name) => name.startsWith('worker-'))).toEqual([]);
  });

  it('cancels a job running in the worker by stopping its agent, and the worker serves on', async () => {
    const first = await serve();
    const started = await call(first.client, 'dispatch_async', { agent: 'alpha', task: 'Run the stuck job' });
    const jobId = started.job_id as string;
    await waitFor('the agent to call its tool', () => (storedJob(jobId).progress.lastTool?.startsWith('Read') ? true : undefined));
    const running = storedJob(jobId);
    leftovers.push(running.ownerPid!, running.childPid!);
    const cancelled = await call(first.client, 'dispatch_cancel', { job_id: jobId });
    expect(cancelled).toMatchObject({ outcome: 'cancelled_running' });
    expect(await survivorsAfter([running.childPid!], 5_000)).toEqual([]);
    expect(storedJob(jobId).status).toBe('cancelled');
    expect(isAlive(running.ownerPid!)).toBe(true);
    expect(readdirSync(setup.stateDir).some((name) => name.endsWith('.sock'))).toBe(true);
  });

  it('reports a job failed, with the reason, when its worker was SIGKILLed mid-job', async () => {
    const first = await serve();
    const started = await call(first.client, 'dispatch_async', { agent: 'alpha', task: 'Run the stuck job' });
    const jobId = started.job_id as string;
    await waitFor('the agent to call its tool', () => (storedJob(jobId).progress.lastTool?.startsWith('Read') ? true : undefined));
    const running = storedJob(jobId);
    const supervisor = running.ownerPid!;
    const agent = running.childPid!;
    leftovers.push(supervisor, agent);
    process.kill(supervisor, 'SIGKILL');
    await survivorsAfter([supervisor], 5_000);

    const second = await serve();
    const status = await call(second.client, 'dispatch_status', { job_id: jobId });
    expect(status).toMatchObject({ status: 'failed', failure_reason: expect.stringMatching(new RegExp(`owner process ${supervisor} exited while the job was running`)) });
    const waited = await call(second.client, 'dispatch_wait', { job_id: jobId, timeout_seconds: 5 });
    expect(waited).toMatchObject({ status: 'failed' });
    expect(waited.timed_out_waiting).toBeUndefined();
    // The orphaned agent does not run on: it is stopped by whoever notices its supervisor is gone.
    expect(await survivorsAfter([agent], 10_000)).toEqual([]);
  });
});
