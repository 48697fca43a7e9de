// The stand-in model over HTTP, without the CLI: routes, matching, turns, failures, usage, streaming.
import { afterEach, describe, expect, it } from 'vitest';
import { allText, fail, filler, startFakeModel, text, toolUse, turn, type FakeModel, type FakeModelOptions } from '../support/fake-anthropic.js';

let model: FakeModel | undefined;
afterEach(async () => {
  await model?.close();
  model = undefined;
});

async function start(options: FakeModelOptions = {}): Promise<FakeModel> {
  model = await startFakeModel(options);
  return model;
}

const userMsg = (prompt: string) => ({ role: 'user', content: [{ type: 'text', text: '<system-reminder>\nCLAUDE.md here\n</system-reminder>' }, { type: 'text', text: prompt }] });

function post(m: FakeModel, body: object, path = '/v1/messages?beta=true') {
  return fetch(m.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

// POST and parse the JSON reply.
async function ask(m: FakeModel, body: object, path?: string): Promise<any> {
  return (await post(m, body, path)).json();
}

// Parse an SSE body into { event, data } pairs, checking the framing on the way.
async function readSse(res: Response): Promise<Array<{ event: string; data: any }>> {
  const body = await res.text();
  expect(body.endsWith('\n\n')).toBe(true);
  return body
    .split('\n\n')
    .filter((f) => f !== '')
    .map((frame) => {
      const [eventLine, dataLine, ...rest] = frame.split('\n');
      expect(rest).toEqual([]);
      expect(eventLine).toMatch(/^event: /);
      expect(dataLine).toMatch(/^data: /);
      const data = JSON.parse((dataLine as string).slice(6));
      expect(data.type).toBe((eventLine as string).slice(7));
      return { event: (eventLine as string).slice(7), data };
    });
}

const streamedText = (events: Array<{ data: any }>) => events.filter((e) => e.data.delta?.type === 'text_delta').map((e) => e.data.delta.text).join('');

describe('stand-in model routes', () => {
  it('answers unknown routes with a 404 error body', async () => {
    const m = await start();
    const res = await fetch(m.url + '/v1/models');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
    expect(m.requests[0]).toMatchObject({ method: 'GET', path: '/v1/models', response: { status: 404 } });
  });

  it('rejects a body that is not JSON with invalid_request_error', async () => {
    const m = await start();
    const res = await fetch(m.url + '/v1/messages', { method: 'POST', body: 'nope' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
  });

  it('counts tokens for /v1/messages/count_tokens', async () => {
    const m = await start();
    const res = await post(m, { model: 'x', messages: [userMsg('hello')] }, '/v1/messages/count_tokens');
    expect(((await res.json()) as any).input_tokens).toBeGreaterThan(0);
  });
});

describe('stand-in model scripting', () => {
  it('picks the first rule whose substring, RegExp or predicate fits the prompt, else the default', async () => {
    const m = await start({
      rules: [
        { match: 'alpha', reply: text('A') },
        { match: /^be+ta$/i, reply: text('B') },
        { match: (r) => r.prompt.length > 20, reply: text('LONG') },
        { match: 'alpha beta', reply: text('never') },
      ],
      defaultReply: text('D'),
    });
    const answers = [];
    for (const prompt of ['say alpha beta', 'BEEETA', 'a prompt longer than twenty chars', 'other']) {
      answers.push((await ask(m, { messages: [userMsg(prompt)] })).content[0].text);
    }
    expect(answers).toEqual(['A', 'B', 'LONG', 'D']);
    expect(m.requests.map((r) => r.rule)).toEqual(['alpha', '/^be+ta$/i', 'rule 2', 'default']);
  });

  it('answers turn N after N assistant messages, and lets a turn quote the tool result', async () => {
    const m = await start({ rules: [{ match: 'go', reply: [toolUse('Bash', { command: 'ls' }), (ctx) => text(`saw ${ctx.lastToolResult}`)] }] });
    const first = await ask(m, { messages: [userMsg('go')] });
    expect(first).toMatchObject({ stop_reason: 'tool_use', content: [{ type: 'tool_use', name: 'Bash', input: { command: 'ls' } }] });
    const history = [userMsg('go'), { role: 'assistant', content: first.content }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: first.content[0].id, content: 'FILES' }] }];
    const second = await ask(m, { messages: history });
    expect(second).toMatchObject({ stop_reason: 'end_turn', content: [{ type: 'text', text: 'saw FILES' }] });
    expect(m.lastRequest).toMatchObject({ turnIndex: 1, toolResults: [{ toolUseId: first.content[0].id, content: 'FILES' }] });
  });

  it('builds tool input from the request when given a function', async () => {
    const m = await start({ rules: [{ reply: toolUse('mcp__echo__echo', (ctx) => ({ text: ctx.request.prompt.toUpperCase() })) }] });
    const body = await ask(m, { messages: [userMsg('ping')] });
    expect(body.content[0]).toMatchObject({ name: 'mcp__echo__echo', input: { text: 'PING' } });
  });

  it('ends a finished script with a fallback text, or repeats the last turn when asked', async () => {
    const m = await start({ rules: [{ match: 'once', reply: toolUse('Read', {}) }, { match: 'loop', reply: toolUse('Read', {}), repeat: true }] });
    const after = (prompt: string) => [userMsg(prompt), { role: 'assistant', content: [{ type: 'text', text: 'x' }] }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: '' }] }];
    expect((await ask(m, { messages: after('once') })).content[0].type).toBe('text');
    expect((await ask(m, { messages: after('loop') })).content[0].type).toBe('tool_use');
  });

  it('sends text and several tool_use blocks in one turn', async () => {
    const m = await start({ defaultReply: turn(['Let me look', { name: 'Read', input: { file_path: '/a' } }, { name: 'Bash', input: { command: 'pwd' } }]) });
    const body = await ask(m, { messages: [userMsg('x')] });
    expect(body.content.map((b: any) => b.name ?? b.text)).toEqual(['Let me look', 'Read', 'Bash']);
  });
});

describe('stand-in model failures', () => {
  it.each([
    [400, 'invalid_request_error'],
    [401, 'authentication_error'],
    [429, 'rate_limit_error'],
    [500, 'api_error'],
    [529, 'overloaded_error'],
  ])('answers %i with error type %s', async (status, type) => {
    const m = await start({ rules: [{ fail: fail(status) }] });
    const res = await post(m, { messages: [userMsg('x')] });
    expect(res.status).toBe(status);
    expect(await res.json()).toMatchObject({ type: 'error', error: { type } });
    expect(res.headers.get('request-id')).toMatch(/^req_/);
  });

  it('fails only the first N requests, with retry-after, then replies', async () => {
    const m = await start({ rules: [{ match: 'x', fail: [fail(429, { times: 2, retryAfter: 1 }), fail(500, { times: 1, shouldRetry: false })], reply: text('finally') }] });
    const statuses = [];
    for (let i = 0; i < 4; i++) {
      const res = await post(m, { messages: [userMsg('x')] });
      statuses.push([res.status, res.headers.get('retry-after'), res.headers.get('x-should-retry')]);
      if (res.ok) expect(((await res.json()) as any).content[0].text).toBe('finally');
    }
    expect(statuses).toEqual([[429, '1', null], [429, '1', null], [500, null, 'false'], [200, null, null]]);
  });

  it('refuses a status outside 400..599', () => {
    expect(() => fail(200)).toThrow(/400\.\.599/);
  });
});

describe('stand-in model streaming', () => {
  it('streams text in the asked number of chunks with the Messages API framing', async () => {
    const m = await start({ defaultReply: text('Hello streaming world', { chunks: 4 }) });
    const res = await post(m, { stream: true, model: 'claude-opus-5-5', messages: [userMsg('x')] });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const events = await readSse(res);
    expect(events.filter((e) => e.event === 'content_block_delta')).toHaveLength(4);
    expect(streamedText(events)).toBe('Hello streaming world');
    expect(events.at(-1)?.event).toBe('message_stop');
  });

  it('reports the configured usage in message_start, message_delta and JSON replies', async () => {
    const m = await start({ usage: { input_tokens: 1000 }, rules: [{ match: 'big', reply: text('x', { usage: { output_tokens: 500 } }) }] });
    const events = await readSse(await post(m, { stream: true, messages: [userMsg('big')] }));
    expect(events[0]?.data.message.usage).toMatchObject({ input_tokens: 1000, output_tokens: 1, cache_read_input_tokens: 0 });
    expect(events.find((e) => e.event === 'message_delta')?.data.usage).toEqual({ output_tokens: 500 });
    const json = await ask(m, { messages: [userMsg('other')] });
    expect(json.usage).toEqual({ input_tokens: 1000, output_tokens: 20, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 });
  });

  it('streams megabytes of text intact', async () => {
    const big = filler(3 * 1024 * 1024);
    const m = await start({ defaultReply: text(big) });
    expect(streamedText(await readSse(await post(m, { stream: true, messages: [userMsg('x')] })))).toBe(big);
  });
});

describe('stand-in model log and lifecycle', () => {
  it('logs what reached the model and finds requests on demand', async () => {
    const m = await start();
    const waiting = m.waitForRequest((r) => r.prompt === 'second');
    await post(m, { model: 'claude-haiku-5-5', system: [{ type: 'text', text: 'SYS' }], tools: [{ name: 'Bash' }], messages: [userMsg('first')] });
    await post(m, { messages: [userMsg('second')] });
    expect((await waiting).seq).toBe(2);
    expect(m.messageRequests()[0]).toMatchObject({ model: 'claude-haiku-5-5', system: 'SYS', tools: ['Bash'], prompt: 'first', stream: false });
    expect(allText(m.requests[0]!)).toContain('CLAUDE.md here');
    m.reset();
    expect(m.requests).toEqual([]);
  });

  it('rejects waitForRequest when nothing matching arrives in time', async () => {
    const m = await start();
    await expect(m.waitForRequest(() => false, { timeoutMs: 20 })).rejects.toThrow(/no matching request/);
  });

  it('closes promptly while a reply is still being delayed', async () => {
    const m = await start({ defaultReply: text('late', { delayMs: 60_000 }) });
    const pending = post(m, { messages: [userMsg('x')] }).then((r) => r.status, () => 'dropped');
    await m.waitForRequest();
    await m.close();
    model = undefined;
    expect(await pending).toBeDefined();
  });
});
