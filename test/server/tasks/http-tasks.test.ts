// Tasks over HTTP (in process, through the same app `serve --http` runs): the principal is the hash of the bearer
// token, so a task started with one token is, to a server with another token, exactly an unknown task.
import { afterEach, describe, expect, it } from 'vitest';
import { createRig, fakeRunner, type Rig } from '../../jobs/service-harness.js';
import { runResult } from '../../jobs/support/store.js';
import { createHttpApp } from '../../../src/server/http.js';
import { silentLogger } from '../../../src/shared/log.js';
import { fakeCatalog } from '../fakes.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.cleanup();
  rig = undefined;
});

const TOKEN_A = 'token-a-'.padEnd(40, 'a');
const TOKEN_B = 'token-b-'.padEnd(40, 'b');
const TASKS = { 'io.modelcontextprotocol/tasks': {} };

// One app per token, both on the same services (as two `serve --http` with different tokens on one state dir).
function apps() {
  rig = createRig({ runner: fakeRunner((r) => runResult({ agent: r.agent.name, text: `answer to ${r.task}` })) });
  const dispatcher = rig.openService({ startSupervisor: () => process.pid });
  const deps = { dispatcher, catalog: fakeCatalog(['api']), logger: silentLogger };
  const make = (token: string) => {
    const { app } = createHttpApp({ deps, token, port: () => 7789 });
    let id = 0;
    // A 2026-07-28 request with the envelope and the routing headers the SDK requires.
    return async (method: string, params: Record<string, unknown>, name: string, declare = true): Promise<Record<string, unknown>> => {
      const _meta = {
        'io.modelcontextprotocol/protocolVersion': '2026-07-28',
        'io.modelcontextprotocol/clientInfo': { name: 'http-test', version: '1' },
        'io.modelcontextprotocol/clientCapabilities': { extensions: declare ? TASKS : {} },
      };
      const response = await app.request('http://127.0.0.1:7789/mcp', {
        method: 'POST',
        headers: {
          host: '127.0.0.1:7789', authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream',
          'mcp-protocol-version': '2026-07-28', 'mcp-method': method, 'mcp-name': name,
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params: { ...params, _meta } }),
      });
      const body = await response.text();
      // JSON, or an SSE stream whose last data line is the response.
      const json = body.trimStart().startsWith('{') ? body : body.split('\n').filter((l) => l.startsWith('data:')).at(-1)!.slice(5);
      return JSON.parse(json) as Record<string, unknown>;
    };
  };
  // A 2025-11-25 request (no envelope), as the v1 SDK client and Cursor send them.
  const legacy = async (method: string, params: Record<string, unknown>): Promise<Record<string, unknown>> => {
    const { app } = createHttpApp({ deps, token: TOKEN_A, port: () => 7789 });
    const response = await app.request('http://127.0.0.1:7789/mcp', {
      method: 'POST',
      headers: { host: '127.0.0.1:7789', authorization: `Bearer ${TOKEN_A}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    });
    const body = await response.text();
    const json = body.trimStart().startsWith('{') ? body : body.split('\n').filter((l) => l.startsWith('data:')).at(-1)!.slice(5);
    return JSON.parse(json) as Record<string, unknown>;
  };
  return { a: make(TOKEN_A), b: make(TOKEN_B), legacy, rig };
}

describe('tasks over HTTP', () => {
  it('serves a task to the token that started it and answers any other token as for an unknown task', async () => {
    const { a, b, rig } = apps();
    const started = await a('tools/call', { name: 'dispatch', arguments: { agent: 'api', task: 'over http' } }, 'dispatch');
    expect(started.result).toMatchObject({ resultType: 'task', status: 'working' });
    const taskId = (started.result as { taskId: string }).taskId;
    expect(rig.store.taskLink(taskId)?.principal).toMatch(/^[0-9a-f]{64}$/);
    expect(rig.store.taskLink(taskId)?.principal).not.toContain(TOKEN_A);

    expect((await a('tasks/get', { taskId }, taskId)).result).toMatchObject({ status: 'working' });
    const foreign = (await b('tasks/get', { taskId }, taskId)).result as { status: string; error: { code: number; message: string } };
    const unknown = (await b('tasks/get', { taskId: 'cd'.repeat(16) }, 'cd'.repeat(16))).result as typeof foreign;
    expect(foreign).toMatchObject({ status: 'failed', error: { code: -32602 } });
    expect(foreign.error.message.replace(taskId, 'X')).toBe(unknown.error.message.replace('cd'.repeat(16), 'X'));
    expect((await b('tasks/cancel', { taskId }, taskId)).error).toMatchObject({ code: -32602 });
    expect((await a('tasks/get', { taskId }, taskId)).result).toMatchObject({ status: 'working' }); // B's cancel did nothing

    await rig.service.runJob(taskId);
    expect((await a('tasks/get', { taskId }, taskId)).result).toMatchObject({ status: 'completed', result: { structuredContent: { result: 'answer to over http' } } });
  });

  it('answers synchronously when the request does not declare the extension', async () => {
    const { a } = apps();
    const answer = await a('tools/call', { name: 'dispatch', arguments: { agent: 'api', task: 'plain' } }, 'dispatch', false);
    expect(answer.result).toMatchObject({ structuredContent: { result: 'answer to plain', success: true } });
    expect(answer.result).not.toHaveProperty('taskId');
  });

  it('answers dispatch_parallel as one task over its items when the request declares the extension', async () => {
    const { a, b, rig } = apps();
    const dispatches = [{ agent: 'api', task: 'one' }, { agent: 'api', task: 'two' }];
    const answer = await a('tools/call', { name: 'dispatch_parallel', arguments: { dispatches } }, 'dispatch_parallel');
    expect(answer.result).toMatchObject({ resultType: 'task', status: 'working', statusMessage: '0/2 done · 2 queued' });
    const taskId = (answer.result as { taskId: string }).taskId;
    for (const member of rig.store.taskGroup(taskId)!.members) await rig.service.runJob(member.jobId!);
    expect((await a('tasks/get', { taskId }, taskId)).result).toMatchObject({
      status: 'completed', result: { structuredContent: { results: [{ result: 'answer to one' }, { result: 'answer to two' }] } },
    });
    expect((await b('tasks/get', { taskId }, taskId)).result).toMatchObject({ status: 'failed', error: { code: -32602 } });
  });

  it('keeps dispatch_parallel with an aggregating agent synchronous', async () => {
    const { a } = apps();
    const dispatches = [{ agent: 'api', task: 'one' }];
    const answer = await a('tools/call', { name: 'dispatch_parallel', arguments: { dispatches, aggregate: 'api' } }, 'dispatch_parallel');
    expect(answer.result).not.toHaveProperty('resultType', 'task');
    expect(answer.result).toMatchObject({ structuredContent: { results: [{ result: 'answer to one' }], aggregated: { success: true } } });
  });

  it('declares nothing of tasks to a 2025-11-25 client, and has no task methods there', async () => {
    const { legacy } = apps();
    const init = await legacy('initialize', { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'v1', version: '1' } });
    expect(init.result).toMatchObject({ protocolVersion: '2025-11-25' });
    expect((init.result as { capabilities: Record<string, unknown> }).capabilities).not.toHaveProperty('extensions');
    expect((await legacy('tasks/get', { taskId: 'ab'.repeat(16) })).error).toMatchObject({ code: -32601 });
  });
});
