// Dispatches served as MCP Tasks over stdio, as Claude Code's interactive UI calls them: `node bin/agent-dispatch.js
// serve` driven by a raw 2026-07-28 client that declares io.modelcontextprotocol/tasks, the real Claude Code CLI
// as the agent, the stand-in model. Also: a client without the declaration gets the synchronous answer, a task
// survives a SIGKILL of the server that started it, and a double tasks/cancel stops the agent's process tree.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createJobStore } from '../../src/jobs/store/index.js';
import type { JobRecord } from '../../src/jobs/types.js';
import { silentLogger } from '../../src/shared/log.js';
import { text, toolUse } from '../support/fake-anthropic.js';
import { createBackbone, type Backbone } from '../support/harness.js';
import { stdioClient, type Raw2026Client } from '../support/mcp-2026.js';
import { AGENT_DISPATCH_BIN, assertBuilt, setupProduct, type ProductSetup } from '../support/product.js';
import { killAll, survivorsAfter, waitFor } from './procs.js';

let bb: Backbone;
let setup: ProductSetup;
let readme: string;
const servers: ChildProcessWithoutNullStreams[] = [];
const leftovers: number[] = [];

beforeAll(async () => {
  assertBuilt();
  bb = await createBackbone({
    rules: [
      { match: 'quick job', reply: text('Quick answer.') },
      { match: 'slow job', reply: [toolUse('Read', () => ({ file_path: readme })), text('finished late', { delayMs: 2500 })] },
      { match: 'topic of the dialogue', reply: [toolUse('Read', () => ({ file_path: readme })), text('Use version 2. [RESOLVED]', { delayMs: 2500 })] },
      { match: 'stuck job', reply: [toolUse('Read', () => ({ file_path: readme })), text('never delivered', { delayMs: 30_000 })] },
    ],
    defaultReply: text('ok'),
  });
  const alpha = bb.project('alpha', { claudeMd: 'Answer briefly.', files: { 'README.md': 'alpha readme\n' } });
  readme = join(alpha, 'README.md');
  const beta = bb.project('beta', { claudeMd: 'Answer briefly.', files: { 'README.md': 'beta readme\n' } });
  setup = setupProduct(bb, { agents: { alpha: { directory: alpha, description: 'The alpha service' }, beta: { directory: beta, description: 'The beta service' } } });
});

afterEach(() => {
  for (const server of servers.splice(0)) server.kill('SIGKILL');
  killAll(leftovers.splice(0));
});

afterAll(async () => {
  await bb?.cleanup();
});

// Start `agent-dispatch serve` and open it the way Claude Code does (server/discover).
async function serve(): Promise<{ client: Raw2026Client; child: ChildProcessWithoutNullStreams }> {
  const child = spawn(process.execPath, [AGENT_DISPATCH_BIN, 'serve'], { env: setup.env, stdio: ['pipe', 'pipe', 'pipe'] });
  servers.push(child);
  child.stderr.resume();
  const client = stdioClient(child);
  const discovered = await client.discover();
  expect(discovered.result?.capabilities).toMatchObject({ extensions: { 'io.modelcontextprotocol/tasks': {} } });
  return { client, child };
}

// The job as stored (read from the shared database, as a third process would).
function storedJob(id: string): JobRecord {
  const store = createJobStore({ path: join(setup.stateDir, 'jobs.db'), logger: silentLogger });
  try {
    return store.get(id);
  } finally {
    store.close();
  }
}

async function startTask(client: Raw2026Client, args: Record<string, unknown>, tool = 'dispatch'): Promise<string> {
  const call = await client.callTool(tool, { agent: 'alpha', caller: 'e2e', ...args });
  expect(call.result, JSON.stringify(call)).toMatchObject({ resultType: 'task', status: 'working', taskId: expect.stringMatching(/^[0-9a-f]{32}$/) });
  return call.result!.taskId as string;
}

describe('dispatches as MCP Tasks over stdio', () => {
  it('answers with a task, and tasks/get completes it with the answer a synchronous call gives', async () => {
    const { client } = await serve();
    const taskId = await startTask(client, { task: 'Run the quick job', return_ref: false });
    const done = await client.pollUntilDone(taskId);
    expect(done).toMatchObject({ taskId, status: 'completed', result: { structuredContent: { agent: 'alpha', success: true, result: 'Quick answer.', job_id: taskId } } });
    const result = done.result as { content: { type: string; text: string }[]; structuredContent: Record<string, unknown>; isError?: boolean };
    expect(JSON.parse(result.content[0]!.text)).toEqual(result.structuredContent);
    expect(result.isError).toBeUndefined();

    // The same dispatch from a client without the extension: a synchronous answer with the same fields (a task's
    // run is not in this server's cache, so the agent runs again).
    const sync = await client.callTool('dispatch', { agent: 'alpha', task: 'Run the quick job', caller: 'e2e', return_ref: false }, { tasks: false });
    expect(sync.result).not.toHaveProperty('resultType', 'task');
    const syncView = sync.result!.structuredContent as Record<string, unknown>;
    expect(Object.keys(syncView).sort()).toEqual(Object.keys(result.structuredContent).sort());
  });

  it('answers an unknown task id with a final failed task, and a request without the declaration with -32021', async () => {
    const { client } = await serve();
    expect((await client.request('tasks/get', { taskId: 'ab'.repeat(16) })).result).toMatchObject({ status: 'failed', error: { code: -32602 } });
    expect((await client.request('tasks/get', { taskId: 'ab'.repeat(16) }, { tasks: false })).error).toMatchObject({ code: -32021 });
  });

  it('stops the agent\'s process tree on a double tasks/cancel, and both are acknowledged', async () => {
    const { client } = await serve();
    const taskId = await startTask(client, { task: 'Run the stuck job' }, 'dispatch_stream');
    const running = await waitFor('the agent to call its tool', () => {
      const job = storedJob(taskId);
      return job.progress.lastTool?.startsWith('Read') && job.childPid ? job : undefined;
    });
    leftovers.push(running.ownerPid!, running.childPid!);
    const working = await client.request('tasks/get', { taskId });
    expect(working.result).toMatchObject({ status: 'working', statusMessage: expect.stringContaining('alpha · turn 1 · Read') });
    const [first, second] = await Promise.all([client.request('tasks/cancel', { taskId }), client.request('tasks/cancel', { taskId })]);
    expect(first.error ?? second.error).toBeUndefined();
    expect(await client.pollUntilDone(taskId, 20_000)).toMatchObject({ status: 'cancelled' });
    expect(await survivorsAfter([running.childPid!], 10_000)).toEqual([]);
    expect((await client.request('tasks/cancel', { taskId })).error).toBeUndefined();
  });

  it('serves a task from a new server after the one that started it was SIGKILLed', async () => {
    const first = await serve();
    const taskId = await startTask(first.client, { task: 'Run the slow job' });
    const running = await waitFor('the agent to call its tool', () => (storedJob(taskId).progress.lastTool?.startsWith('Read') ? storedJob(taskId) : undefined));
    leftovers.push(running.ownerPid!);
    first.child.kill('SIGKILL');
    expect(await survivorsAfter([first.child.pid!], 5_000)).toEqual([]);

    const second = await serve();
    expect(await second.client.pollUntilDone(taskId)).toMatchObject({ status: 'completed', result: { structuredContent: { result: 'finished late', success: true, job_id: taskId } } });
  });

  it('serves dispatch_parallel as one task whose result a new server assembles after the first was SIGKILLed', async () => {
    const first = await serve();
    const dispatches = [{ agent: 'alpha', task: 'Run the slow job', caller: 'e2e' }, { agent: 'alpha', task: 'Run the quick job', caller: 'e2e' }];
    const call = await first.client.callTool('dispatch_parallel', { dispatches });
    expect(call.result, JSON.stringify(call)).toMatchObject({ resultType: 'task', status: 'working', taskId: expect.stringMatching(/^[0-9a-f]{32}$/) });
    const taskId = call.result!.taskId as string;
    first.child.kill('SIGKILL');
    expect(await survivorsAfter([first.child.pid!], 5_000)).toEqual([]);

    const second = await serve();
    const done = await second.client.pollUntilDone(taskId, 30_000);
    expect(done).toMatchObject({ taskId, status: 'completed', result: { structuredContent: { results: [{ result: 'finished late', success: true }, { result: 'Quick answer.', success: true }] } } });
    const jobIds = (done.result as { structuredContent: { results: { job_id: string }[] } }).structuredContent.results.map((r) => r.job_id);
    expect(jobIds).not.toContain(taskId);
    const owner = storedJob(jobIds[0]!).ownerPid;
    if (owner) leftovers.push(owner); // the worker that ran the items
  });

  it('serves dispatch_dialogue as one task that goes on in the worker after its server was SIGKILLed', async () => {
    const first = await serve();
    const call = await first.client.callTool('dispatch_dialogue', { requester: 'alpha', responder: 'beta', topic: 'The topic of the dialogue: which version?' });
    expect(call.result, JSON.stringify(call)).toMatchObject({ resultType: 'task', status: 'working', taskId: expect.stringMatching(/^[0-9a-f]{32}$/) });
    const taskId = call.result!.taskId as string;
    const running = await waitFor('the first turn to start', () => (storedJob(taskId).progress.tail.length > 0 ? storedJob(taskId) : undefined));
    leftovers.push(running.ownerPid!);
    first.child.kill('SIGKILL');
    expect(await survivorsAfter([first.child.pid!], 5_000)).toEqual([]);

    const second = await serve();
    const done = await second.client.pollUntilDone(taskId, 30_000);
    expect(done).toMatchObject({ taskId, status: 'completed', result: { structuredContent: { resolved: true, rounds: 1, final_answer: 'Use version 2.', conversation: [{ agent: 'beta', role: 'responder', success: true }] } } });
  });
});
