// The three stand-in API dialects over HTTP: what a client sends is logged in the Anthropic-shaped view the
// rules read, and scripted turns come back in each API's own streaming format.
import { afterEach, describe, expect, it } from 'vitest';
import { codexShell, dialectFail, startFakeResponses, text } from '../support/fake-openai-responses.js';
import { geminiShell, startFakeGemini } from '../support/fake-gemini.js';
import { opencodeShell, startFakeChat } from '../support/fake-chat-completions.js';
import type { DialectModel } from '../support/dialects/server.js';

let model: DialectModel | undefined;
afterEach(async () => {
  await model?.close();
  model = undefined;
});

async function post(path: string, body: unknown) {
  const response = await fetch(`${model!.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

// The JSON payloads of an SSE body (`[DONE]` kept as a string).
function dataOf(sse: string): any[] {
  return sse
    .split('\n')
    .filter((l) => l.startsWith('data: '))
    .map((l) => l.slice(6))
    .map((d) => (d === '[DONE]' ? d : JSON.parse(d)));
}

describe('the Responses API stand-in', () => {
  it('streams a text turn as response events ending in response.completed with usage', async () => {
    model = await startFakeResponses({ defaultReply: text('Hello there', { chunks: 2 }) });
    const { text: body } = await post('/v1/responses', { model: 'gpt-5', instructions: 'SYS', stream: true, input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] }] });
    const events = dataOf(body);
    expect(events.map((e) => e.type)).toEqual([
      'response.created', 'response.in_progress', 'response.output_item.added', 'response.content_part.added',
      'response.output_text.delta', 'response.output_text.delta', 'response.output_text.done', 'response.content_part.done',
      'response.output_item.done', 'response.completed',
    ]);
    expect(events.filter((e) => e.type === 'response.output_text.delta').map((e) => e.delta).join('')).toBe('Hello there');
    expect(events.at(-1).response.usage).toMatchObject({ input_tokens: 100, output_tokens: 20 });
    expect(model.lastRequest).toMatchObject({ prompt: 'hi', system: 'SYS', turnIndex: 0, kind: 'model' });
  });

  it('calls exec_command, then sees the function_call_output as the next turn', async () => {
    model = await startFakeResponses({ rules: [{ match: 'go', reply: [codexShell('ls'), (ctx) => text(`saw ${ctx.lastToolResult}`)] }] });
    const first = dataOf((await post('/v1/responses', { stream: true, input: [{ type: 'message', role: 'user', content: 'go' }] })).text);
    const call = first.find((e) => e.type === 'response.output_item.done').item;
    expect(call).toMatchObject({ type: 'function_call', name: 'exec_command', arguments: '{"cmd":"ls"}' });
    const input = [{ type: 'message', role: 'user', content: 'go' }, call, { type: 'function_call_output', call_id: call.call_id, output: 'a.txt' }];
    const second = dataOf((await post('/v1/responses', { stream: true, input })).text);
    expect(second.find((e) => e.type === 'response.output_text.done').text).toBe('saw a.txt');
    expect(model.lastRequest).toMatchObject({ turnIndex: 1, toolResults: [{ toolUseId: call.call_id, content: 'a.txt', isError: false }] });
  });

  it('answers a scripted failure with the OpenAI error body and retry headers', async () => {
    model = await startFakeResponses({ rules: [{ fail: dialectFail(429, { retryAfter: 1, retryAfterMs: 0, times: 1 }) }] });
    const failed = await post('/v1/responses', { stream: true, input: 'x' });
    expect(failed.status).toBe(429);
    expect(failed.headers.get('retry-after')).toBe('1');
    expect(failed.headers.get('retry-after-ms')).toBe('0');
    expect(JSON.parse(failed.text)).toMatchObject({ error: { code: 'rate_limit_exceeded' } });
    expect((await post('/v1/responses', { stream: true, input: 'x' })).status).toBe(200);
  });
});

describe('the Gemini API stand-in', () => {
  it('streams text and a function call, reading the prompt without the session context block', async () => {
    model = await startFakeGemini({ rules: [{ match: 'go', reply: [geminiShell('ls', { text: 'Listing' })] }] });
    const body = {
      systemInstruction: { parts: [{ text: 'SYS' }] },
      contents: [{ role: 'user', parts: [{ text: '<session_context>\nCTX\n</session_context>' }, { text: 'go' }] }],
      tools: [{ functionDeclarations: [{ name: 'run_shell_command' }] }],
    };
    const chunks = dataOf((await post('/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse', body)).text);
    const parts = chunks.flatMap((c) => c.candidates[0].content.parts);
    expect(parts).toEqual([{ text: 'Listing' }, { functionCall: { name: 'run_shell_command', args: { command: 'ls', description: 'stand-in command' }, id: expect.stringMatching(/^call_/) } }, { text: '' }]);
    expect(chunks.at(-1)).toMatchObject({ candidates: [{ finishReason: 'STOP' }], usageMetadata: { promptTokenCount: 100, candidatesTokenCount: 20 } });
    expect(model.lastRequest).toMatchObject({ prompt: 'go', model: 'gemini-2.5-flash', system: 'SYS', tools: ['run_shell_command'] });
  });

  it('answers the routing classifier by itself with JSON', async () => {
    model = await startFakeGemini();
    const body = { contents: [{ role: 'user', parts: [{ text: 'hi' }] }], generationConfig: { responseMimeType: 'application/json', responseJsonSchema: { properties: { complexity_score: {} } } } };
    const answer = JSON.parse((await post('/v1beta/models/gemini-2.5-flash-lite:generateContent', body)).text);
    expect(JSON.parse(answer.candidates[0].content.parts[0].text)).toMatchObject({ complexity_score: 10 });
    expect(model.requests[0]?.kind).toBe('router');
    expect(model.modelRequests()).toEqual([]);
  });

  it('answers failures in the Google error shape', async () => {
    model = await startFakeGemini({ rules: [{ fail: dialectFail(401) }] });
    const failed = await post('/v1beta/models/m:streamGenerateContent?alt=sse', { contents: [] });
    expect(failed.status).toBe(401);
    expect(JSON.parse(failed.text)).toEqual({ error: { code: 401, message: 'stand-in 401', status: 'UNAUTHENTICATED' } });
  });
});

describe('the Chat Completions stand-in', () => {
  it('streams a tool call as deltas, then usage and [DONE], and logs tool results', async () => {
    model = await startFakeChat({ rules: [{ match: 'go', reply: [opencodeShell('ls'), (ctx) => text(`saw ${ctx.lastToolResult}`)] }] });
    const chunks = dataOf((await post('/v1/chat/completions', { model: 'm', stream: true, messages: [{ role: 'system', content: 'SYS' }, { role: 'user', content: 'go' }] })).text);
    expect(chunks.at(-1)).toBe('[DONE]');
    expect(chunks.at(-2)).toMatchObject({ choices: [], usage: { prompt_tokens: 100, completion_tokens: 20 } });
    expect(chunks.find((c) => c !== '[DONE]' && c.choices[0]?.finish_reason)?.choices[0].finish_reason).toBe('tool_calls');
    const args = chunks.flatMap((c) => (c === '[DONE]' ? [] : (c.choices[0]?.delta?.tool_calls ?? []))).map((t: any) => t.function.arguments).join('');
    expect(JSON.parse(args)).toEqual({ command: 'ls', description: 'stand-in command' });
    const id = chunks[1].choices[0].delta.tool_calls[0].id;
    const messages = [{ role: 'user', content: 'go' }, { role: 'assistant', content: null, tool_calls: [{ id, type: 'function', function: { name: 'bash', arguments: args } }] }, { role: 'tool', tool_call_id: id, content: 'a.txt' }];
    const second = dataOf((await post('/v1/chat/completions', { stream: true, messages })).text);
    expect(second.flatMap((c) => (c === '[DONE]' ? [] : [c.choices[0]?.delta?.content ?? ''])).join('')).toBe('saw a.txt');
    expect(model.lastRequest).toMatchObject({ turnIndex: 1, toolResults: [{ toolUseId: id, content: 'a.txt' }] });
  });

  it('answers OpenCode\'s title request by itself', async () => {
    model = await startFakeChat({ rules: [{ fail: dialectFail(500) }] });
    const chunks = dataOf((await post('/v1/chat/completions', { stream: true, messages: [{ role: 'system', content: 'You are a title generator.' }, { role: 'user', content: 'x' }] })).text);
    expect(chunks.flatMap((c) => (c === '[DONE]' ? [] : [c.choices[0]?.delta?.content ?? ''])).join('')).toBe('Stand-in title');
    expect(model.requests[0]?.kind).toBe('title');
  });

  it('answers an unknown route with 404', async () => {
    model = await startFakeChat();
    expect((await post('/v1/embeddings', {})).status).toBe(404);
    expect(model.requests[0]).toMatchObject({ kind: 'other', response: { status: 404 } });
  });
});
