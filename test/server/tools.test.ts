import { describe, expect, it } from 'vitest';
import { connect, fakeDispatcher, runResult } from './fakes.js';

type Structured = Record<string, any>;

describe('dispatch tools over an in-memory MCP client', () => {
  it('returns the answer inside structuredContent with the job id', async () => {
    const { client, close } = await connect();
    const res = await client.callTool({ name: 'dispatch', arguments: { agent: 'alpha', task: 'hi' } });
    expect(res.isError).toBeFalsy();
    const data = res.structuredContent as Structured;
    expect(data).toMatchObject({ agent: 'alpha', success: true, result: 'answer to hi', session_id: expect.any(String), job_id: expect.any(String) });
    expect(JSON.parse((res.content as { text: string }[])[0]!.text)).toEqual(data);
    await close();
  });

  it('reports an agent failure as isError with the error type and hint', async () => {
    const dispatcher = fakeDispatcher(() => runResult({ ok: false, text: '', error: { type: 'auth', message: 'Invalid API key', hint: 'Run claude login' } }));
    const { client, close } = await connect({ dispatcher });
    const res = await client.callTool({ name: 'dispatch', arguments: { agent: 'alpha', task: 'hi' } });
    expect(res.isError).toBe(true);
    expect(res.structuredContent).toMatchObject({ success: false, error_type: 'auth', hint: 'Run claude login', job_id: expect.any(String) });
    await close();
  });

  it('lists denied tools as a soft signal that keeps success true', async () => {
    const dispatcher = fakeDispatcher(() => runResult({ permissionDenials: [{ toolName: 'Bash' }, { toolName: 'Bash' }] }));
    const { client, close } = await connect({ dispatcher });
    const res = await client.callTool({ name: 'dispatch', arguments: { agent: 'alpha', task: 'hi' } });
    expect(res.structuredContent).toMatchObject({ success: true, denied_tools: ['Bash'], hint: expect.stringContaining('allowed_tools') });
    await close();
  });

  it('suggests the permission mode, not tool grants, for runtimes without per-tool grants', async () => {
    const dispatcher = fakeDispatcher(() => runResult({ runtime: 'codex', permissionDenials: [{ toolName: 'shell' }] }));
    const { client, close } = await connect({ dispatcher });
    const res = await client.callTool({ name: 'dispatch', arguments: { agent: 'alpha', task: 'hi' } });
    expect(res.structuredContent).toMatchObject({ denied_tools: ['shell'], hint: expect.stringContaining('permission_mode="acceptEdits"') });
    await close();
  });

  it('returns a ref and a summary instead of the text when asked', async () => {
    const dispatcher = fakeDispatcher(() => runResult({ text: 'x'.repeat(1000) }));
    const { client, close } = await connect({ dispatcher });
    const res = await client.callTool({ name: 'dispatch', arguments: { agent: 'alpha', task: 'hi', return_ref: true, summary_chars: 10 } });
    const data = res.structuredContent as Structured;
    expect(data).toMatchObject({ ref: expect.any(String), size: 1000, summary_chars: 10 });
    expect(data.summary).toBe(`${'x'.repeat(9)}…`);
    expect(data.result).toBeUndefined();
    const full = await client.callTool({ name: 'fetch_result', arguments: { ref: data.ref, max_chars: 100 } });
    expect(full.structuredContent).toMatchObject({ truncated: true, full_size: 1000 });
    await close();
  });

  it('sends progress notifications with the job id first when the client asks for them', async () => {
    const { client, close } = await connect();
    const messages: string[] = [];
    await client.callTool({ name: 'dispatch', arguments: { agent: 'alpha', task: 'hi' } }, undefined, {
      onprogress: (p) => void messages.push(p.message ?? ''),
    });
    expect(messages[0]).toMatch(/job [0-9a-f]{32} started/);
    await close();
  });

  it('runs parallel items from a JSON string or an array, each with its own result', async () => {
    const { client, close, dispatcher } = await connect();
    for (const dispatches of ['[{"agent":"alpha","task":"one"},{"agent":"beta","task":"two"}]', [{ agent: 'alpha', task: 'one' }, { agent: 'beta', task: 'two' }]]) {
      const res = await client.callTool({ name: 'dispatch_parallel', arguments: { dispatches } });
      expect(res.isError).toBeFalsy();
      expect((res.structuredContent as Structured).results.map((r: Structured) => r.result)).toEqual(['answer to one', 'answer to two']);
    }
    expect((dispatcher as ReturnType<typeof fakeDispatcher>).requests).toHaveLength(4);
    await close();
  });

  it('aggregates parallel results through another agent', async () => {
    const { client, close } = await connect();
    const res = await client.callTool({ name: 'dispatch_parallel', arguments: { dispatches: [{ agent: 'alpha', task: 'one' }], aggregate: 'beta' } });
    expect((res.structuredContent as Structured).aggregated).toMatchObject({ agent: 'beta', success: true });
    await close();
  });

  it('talks a dialogue through until one side says [RESOLVED]', async () => {
    let turn = 0;
    const dispatcher = fakeDispatcher((r) => runResult({ agent: r.agent, text: ++turn === 3 ? 'Applied. [RESOLVED]' : `turn ${turn}`, sessionId: `${r.agent}-session` }));
    const { client, close } = await connect({ dispatcher });
    const res = await client.callTool({ name: 'dispatch_dialogue', arguments: { requester: 'alpha', responder: 'beta', topic: 'migrations' } });
    const data = res.structuredContent as Structured;
    expect(data).toMatchObject({ resolved: true, rounds: 2, final_answer: 'Applied.' });
    expect(data.conversation.map((t: Structured) => `${t.role}:${t.round}`)).toEqual(['responder:1', 'requester:1', 'responder:2']);
    // The second responder turn continues the responder's own session.
    expect(dispatcher.requests[2]).toMatchObject({ agent: 'beta', sessionId: 'beta-session' });
    await close();
  });
});

describe('bad input', () => {
  it.each([
    ['dispatch', { agent: 'nobody', task: 'x' }, /Unknown agent "nobody".*alpha, beta.*list_agents/s],
    ['dispatch', { agent: 'alpha' }, /task/],
    ['dispatch', { agent: 'alpha', task: 42 }, /task/],
    ['dispatch', { agent: 'alpha', task: 'x', timeout_seconds: 12.5 }, /timeout_seconds/],
    ['dispatch_gc', { max_age_days: 0 }, /max_age_days must be above 0.*--all/],
    ['dispatch_gc', { max_age_days: -1 }, /max_age_days must be above 0/],
    ['dispatch', { agent: 'alpha', task: '\ud800 broken' }, /lone UTF-16 surrogate/],
    ['dispatch', { agent: 'alpha', task: '   ' }, /task is empty/],
    ['dispatch_session', { agent: 'alpha', task: 'x', session_id: '--resume' }, /session_id must be/],
    ['dispatch_session', { agent: 'alpha', task: 'x', session_id: 'a b' }, /session_id must be/],
    ['dispatch_parallel', { dispatches: 'not json' }, /not valid JSON/],
    ['dispatch_parallel', { dispatches: '[]' }, /empty/],
    ['dispatch_parallel', { dispatches: JSON.stringify(Array.from({ length: 1000 }, () => ({ agent: 'alpha', task: 'x' }))) }, /1000 items; at most 50/],
    ['dispatch_parallel', { dispatches: [{ agent: 'alpha' }] }, /dispatches\[0\]\.task/],
    ['dispatch_parallel', { dispatches: [{ agent: 'ghost', task: 'x' }] }, /Unknown agent "ghost"/],
    ['dispatch_dialogue', { requester: 'alpha', responder: 'beta', topic: 'x', max_rounds: 11 }, /max_rounds must be 1-10/],
    ['dispatch_dialogue', { requester: 'alpha', responder: 'alpha', topic: 'x' }, /two different agents/],
    ['dispatch_status', { job_id: 'nope' }, /No job/],
    ['inspect_group', { name: 'nope' }, /Unknown group/],
  ])('%s with %j is an isError result that says what to fix', async (name, args, message) => {
    const dispatcher = fakeDispatcher();
    const original = dispatcher.dispatch.bind(dispatcher);
    const { client, close } = await connect({
      dispatcher: { ...dispatcher, dispatch: async (r, o) => { if (r.agent === 'nobody') throw new (await import('../../src/shared/errors.js')).DispatchError('AGENT_NOT_FOUND', 'Unknown agent "nobody". Known agents: alpha, beta. Call list_agents.'); return original(r, o); } },
    });
    const res = await client.callTool({ name, arguments: args as Record<string, unknown> });
    expect(res.isError).toBe(true);
    expect((res.content as { text: string }[])[0]!.text).toMatch(message);
    // The server is still up and answers the next call.
    const next = await client.callTool({ name: 'list_agents', arguments: {} });
    expect(next.isError).toBeFalsy();
    await close();
  });
});

describe('fetch_result', () => {
  it('explains a finished job that never got a result', async () => {
    const dispatcher = fakeDispatcher();
    const { client, close } = await connect({ dispatcher });
    const job = await dispatcher.start({ agent: 'alpha', task: 'x' });
    dispatcher.jobsMap.set(job.id, { ...job, status: 'failed', failureReason: 'owner process 42 exited while the job was running' });
    const res = await client.callTool({ name: 'fetch_result', arguments: { ref: job.id } });
    expect(res.isError).toBe(true);
    expect(res.structuredContent).toMatchObject({ status: 'failed', error: expect.stringContaining('owner process 42 exited') });
    await close();
  });
});

describe('budget refusals', () => {
  it('carry error_type "budget" when a background job is refused', async () => {
    const { DispatchError } = await import('../../src/shared/errors.js');
    const dispatcher = fakeDispatcher();
    dispatcher.start = async () => {
      throw new DispatchError('BUDGET_EXCEEDED', 'Daily budget reached for all agents: $1.00 spent today of a $1 cap.', { hint: 'Raise settings.daily_budget_usd.' });
    };
    const { client, close } = await connect({ dispatcher });
    const res = await client.callTool({ name: 'dispatch_async', arguments: { agent: 'alpha', task: 'x' } });
    expect(res.isError).toBe(true);
    expect(res.structuredContent).toMatchObject({ error_type: 'budget', hint: 'Raise settings.daily_budget_usd.' });
    await close();
  });
});
