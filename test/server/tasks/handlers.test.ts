// The task methods on a real SDK server instance (serveStdio over an in-memory pipe), before the full server
// factory: a minimal factory that serves the task path of `dispatch` and the three task methods.
import { InMemoryTransport, Server } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { afterEach, describe, expect, it } from 'vitest';
import { createRig, fakeRunner, type Rig } from '../../jobs/service-harness.js';
import { runResult } from '../../jobs/support/store.js';
import { declaresTasks, registerTaskHandlers } from '../../../src/server/tasks/handlers.js';
import { startTask } from '../../../src/server/tasks/start-task.js';
import { createTaskStore } from '../../../src/server/tasks/task-store.js';
import { TASKS_EXTENSION } from '../../../src/server/tasks/types.js';
import { silentLogger } from '../../../src/shared/log.js';
import { Raw2026Client } from '../../support/mcp-2026.js';
import { fakeCatalog } from '../fakes.js';

let rig: Rig | undefined;
let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  await rig?.cleanup();
  rig = undefined;
});

// serveStdio over the in-memory pipe: the test's end is a raw 2026 client.
function connect() {
  const [mine, theirs] = InMemoryTransport.createLinkedPair();
  return { mine, theirs };
}

describe('task methods on an SDK server instance', () => {
  it('serves the task path, tasks/get, an idempotent tasks/cancel and a final answer for an unknown id', async () => {
    rig = createRig({ runner: fakeRunner((r) => runResult({ agent: r.agent.name, text: `answer to ${r.task}` })) });
    const dispatcher = rig.openService({ startSupervisor: () => process.pid });
    const deps = { dispatcher, catalog: fakeCatalog(['api']), logger: silentLogger };
    const tasks = createTaskStore({ jobs: dispatcher, view: () => ({}), logger: silentLogger });
    const { mine, theirs } = connect();
    const handle = serveStdio(
      ({ era }) => {
        const server = new Server({ name: 't', version: '1' }, { capabilities: { tools: {}, ...(era === 'modern' ? { extensions: { [TASKS_EXTENSION]: {} } } : {}) } });
        server.setRequestHandler('tools/list', () => ({ tools: [] }));
        server.setRequestHandler('tools/call', async (request, ctx) => {
          if (era === 'modern' && declaresTasks(ctx)) return (await startTask(deps, request.params.name, request.params.arguments as never)) as never;
          return { content: [{ type: 'text', text: 'synchronous' }] };
        });
        if (era === 'modern') registerTaskHandlers(server, { tasks: async () => tasks });
        return server;
      },
      { transport: theirs as never },
    );
    close = () => handle.close();
    const client = new Raw2026Client((m) => void mine.send(m as never));
    mine.onmessage = (m) => client.receive(m as Record<string, unknown>);
    await mine.start();

    const discovered = await client.discover();
    expect(discovered.result?.capabilities).toMatchObject({ extensions: { [TASKS_EXTENSION]: {} } });

    const sync = await client.callTool('dispatch', { agent: 'api', task: 'x' }, { tasks: false });
    expect(sync.result).toMatchObject({ content: [{ type: 'text', text: 'synchronous' }] });

    const call = await client.callTool('dispatch', { agent: 'api', task: 'Fix it' });
    expect(call.result).toMatchObject({ resultType: 'task', status: 'working', pollIntervalMs: 1000 });
    const taskId = call.result!.taskId as string;
    expect((await client.request('tasks/get', { taskId })).result).toMatchObject({ resultType: 'complete', taskId, status: 'working' });
    await rig.service.runJob(taskId);
    expect((await client.request('tasks/get', { taskId })).result).toMatchObject({
      status: 'completed', result: { structuredContent: { agent: 'api', result: 'answer to Fix it', job_id: taskId } },
    });

    const [a, b] = await Promise.all([client.request('tasks/cancel', { taskId }), client.request('tasks/cancel', { taskId })]);
    expect([a.result, b.result]).toEqual([expect.objectContaining({}), expect.objectContaining({})]);
    expect(a.error ?? b.error).toBeUndefined();

    expect((await client.request('tasks/get', { taskId: 'nope' })).result).toMatchObject({ status: 'failed', error: { code: -32602 } });
    expect((await client.request('tasks/cancel', { taskId: 'nope' })).error).toMatchObject({ code: -32602 });
    expect((await client.request('tasks/update', { taskId, inputResponses: { k: { action: 'accept' } } })).result).toBeDefined();
    expect((await client.request('tasks/get', { taskId }, { tasks: false })).error).toMatchObject({ code: -32021 });
  });

  it('answers tasks/get with a final failed task naming the cause when the services could not start', async () => {
    const { mine, theirs } = connect();
    const handle = serveStdio(
      () => {
        const server = new Server({ name: 't', version: '1' }, { capabilities: { tools: {}, extensions: { [TASKS_EXTENSION]: {} } } });
        registerTaskHandlers(server, { tasks: () => Promise.reject(new Error('agents.yaml: bad indentation')) });
        return server;
      },
      { transport: theirs as never },
    );
    close = () => handle.close();
    const client = new Raw2026Client((m) => void mine.send(m as never));
    mine.onmessage = (m) => client.receive(m as Record<string, unknown>);
    await mine.start();
    await client.discover();
    const answer = await client.request('tasks/get', { taskId: 'ab'.repeat(16) });
    expect(answer.result).toMatchObject({ status: 'failed', error: { code: -32603, message: expect.stringContaining('agents.yaml: bad indentation') } });
  });
});
