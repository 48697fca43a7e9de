// OpenAI Chat Completions (`POST /v1/chat/completions`, `data:` chunks and `[DONE]`), as OpenCode speaks it.
import { newId, splitText, type Rendered } from '../../../src/stand-in/respond.js';
import { text } from '../../../src/stand-in/script.js';
import { parseArguments, pushBlocks, sse } from './server.js';
import type { Dialect, DialectRequest, Normalized, WireChunk } from './types.js';

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((c: any) => (typeof c?.text === 'string' ? c.text : '')).filter(Boolean).join('\n');
}

// messages → Anthropic-shaped messages: system text apart, `tool` messages as tool_result blocks.
export function normalizeChat(body: any): Normalized {
  const system: string[] = [];
  const messages: any[] = [];
  for (const m of Array.isArray(body?.messages) ? body.messages : []) {
    if (m?.role === 'system' || m?.role === 'developer') system.push(contentText(m.content));
    else if (m?.role === 'tool') pushBlocks(messages, 'user', [{ type: 'tool_result', tool_use_id: String(m.tool_call_id ?? ''), content: contentText(m.content) }]);
    else if (m?.role === 'assistant') {
      const said = contentText(m.content);
      const calls = (Array.isArray(m.tool_calls) ? m.tool_calls : []).map((c: any) => ({ type: 'tool_use', id: String(c?.id ?? ''), name: String(c?.function?.name ?? ''), input: parseArguments(c?.function?.arguments) }));
      pushBlocks(messages, 'assistant', [...(said ? [{ type: 'text', text: said }] : []), ...calls]);
    } else if (m?.role === 'user') {
      messages.push({ role: 'user', content: [{ type: 'text', text: contentText(m.content) }] });
    }
  }
  const tools = (Array.isArray(body?.tools) ? body.tools : []).map((t: any) => String(t?.function?.name ?? t?.name ?? ''));
  return { model: String(body?.model ?? ''), stream: body?.stream === true, system: system.join('\n\n'), messages, tools, maxTokens: body?.max_tokens ?? body?.max_completion_tokens };
}

function usageOf(r: Rendered) {
  const prompt = r.usage.input_tokens + r.usage.cache_read_input_tokens;
  return { prompt_tokens: prompt, completion_tokens: r.usage.output_tokens, total_tokens: prompt + r.usage.output_tokens, prompt_tokens_details: { cached_tokens: r.usage.cache_read_input_tokens } };
}

const callId = (id: string) => id.replace(/^toolu_/, 'call_');

// A role chunk, text deltas, tool-call deltas, the finish chunk, a usage chunk, then [DONE].
export function chatChunks(r: Rendered): WireChunk[] {
  const id = newId('chatcmpl-');
  const created = Math.floor(Date.now() / 1000);
  const chunk = (delta: object, finish: string | null = null, extra: object = {}) => ({ id, object: 'chat.completion.chunk', created, model: r.model, choices: [{ index: 0, delta, finish_reason: finish }], ...extra });
  const out: WireChunk[] = [{ data: sse(chunk({ role: 'assistant', content: '' })) }];
  let callIndex = 0;
  for (const block of r.content) {
    if (block.type === 'text') {
      for (const piece of splitText(block.text, r.turn.chunks, r.turn.chunkBytes)) out.push({ data: sse(chunk({ content: piece })), ...(r.turn.chunkDelayMs ? { pauseMs: r.turn.chunkDelayMs } : {}) });
    } else {
      const index = callIndex++;
      out.push({ data: sse(chunk({ tool_calls: [{ index, id: callId(block.id), type: 'function', function: { name: block.name, arguments: '' } }] })) });
      for (const piece of splitText(JSON.stringify(block.input), undefined, 1024)) out.push({ data: sse(chunk({ tool_calls: [{ index, function: { arguments: piece } }] })) });
    }
  }
  out.push({ data: sse(chunk({}, callIndex > 0 ? 'tool_calls' : 'stop')) });
  out.push({ data: sse({ id, object: 'chat.completion.chunk', created, model: r.model, choices: [], usage: usageOf(r) }) });
  out.push({ data: sse('[DONE]') });
  return out;
}

// OpenCode asks for a session title before the real call: answer it without consulting the rules.
function automatic(request: DialectRequest) {
  if (/title generator/i.test(request.system)) return { kind: 'title' as const, turn: text('Stand-in title') };
  return undefined;
}

/** OpenAI Chat Completions. */
export const chatDialect: Dialect = {
  name: 'chat-completions',
  route: (method, path) => (method === 'POST' && /\/chat\/completions$/.test(path) ? { stream: true } : undefined),
  normalize: (body) => normalizeChat(body),
  automatic,
  respond(rendered, stream) {
    if (stream) return { chunks: chatChunks(rendered) };
    const calls = rendered.content.flatMap((b) => (b.type === 'tool_use' ? [{ id: callId(b.id), type: 'function', function: { name: b.name, arguments: JSON.stringify(b.input) } }] : []));
    const said = rendered.content.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join('');
    const message = { role: 'assistant', content: said || null, ...(calls.length ? { tool_calls: calls } : {}) };
    return { json: { id: newId('chatcmpl-'), object: 'chat.completion', created: Math.floor(Date.now() / 1000), model: rendered.model, choices: [{ index: 0, message, finish_reason: calls.length ? 'tool_calls' : 'stop' }], usage: usageOf(rendered) } };
  },
  error(status, message) {
    const type = status === 401 ? 'invalid_request_error' : status === 429 ? 'rate_limit_exceeded' : status >= 500 ? 'server_error' : 'invalid_request_error';
    return { body: { error: { message, type, param: null, code: status === 401 ? 'invalid_api_key' : null } } };
  },
};
