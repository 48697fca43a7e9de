// The OpenAI Responses API (`POST /v1/responses`, streamed as named SSE events), as Codex speaks it.
import { newId, splitText, type Rendered } from '../../../src/stand-in/respond.js';
import { parseArguments, pushBlocks, sse } from './server.js';
import type { Dialect, DialectResponse, Normalized, WireChunk } from './types.js';

const ERROR_CODES: Record<number, { type: string; code: string }> = {
  400: { type: 'invalid_request_error', code: 'invalid_request' },
  401: { type: 'invalid_request_error', code: 'invalid_api_key' },
  403: { type: 'invalid_request_error', code: 'forbidden' },
  404: { type: 'invalid_request_error', code: 'model_not_found' },
  429: { type: 'requests', code: 'rate_limit_exceeded' },
};

function itemText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((c: any) => (typeof c?.text === 'string' ? c.text : '')).filter(Boolean).join('\n');
}

// Input items → Anthropic-shaped messages: assistant items (text, calls) that follow each other form one message.
export function normalizeResponses(body: any): Normalized {
  const system: string[] = typeof body?.instructions === 'string' ? [body.instructions] : [];
  const messages: any[] = [];
  const input: any[] = typeof body?.input === 'string' ? [{ type: 'message', role: 'user', content: body.input }] : Array.isArray(body?.input) ? body.input : [];
  for (const item of input) {
    const type = item?.type ?? 'message';
    if (type === 'message') {
      const textValue = itemText(item.content);
      if (item.role === 'system' || item.role === 'developer') system.push(textValue);
      else if (item.role === 'assistant') pushBlocks(messages, 'assistant', [{ type: 'text', text: textValue }]);
      else messages.push({ role: 'user', content: [{ type: 'text', text: textValue }] });
    } else if (type === 'function_call' || type === 'custom_tool_call') {
      const input = type === 'function_call' ? parseArguments(item.arguments) : { input: item.input };
      pushBlocks(messages, 'assistant', [{ type: 'tool_use', id: String(item.call_id ?? ''), name: String(item.name ?? ''), input }]);
    } else if (type === 'function_call_output' || type === 'custom_tool_call_output') {
      const output = typeof item.output === 'string' ? item.output : itemText(item.output?.content ?? item.output);
      pushBlocks(messages, 'user', [{ type: 'tool_result', tool_use_id: String(item.call_id ?? ''), content: output }]);
    }
  }
  const tools = Array.isArray(body?.tools) ? body.tools.map((t: any) => String(t?.name ?? t?.type ?? '')) : [];
  return { model: String(body?.model ?? ''), stream: body?.stream === true, system: system.join('\n\n'), messages, tools, maxTokens: body?.max_output_tokens };
}

function usageOf(r: Rendered) {
  const cached = r.usage.cache_read_input_tokens;
  const input = r.usage.input_tokens + cached;
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: cached },
    output_tokens: r.usage.output_tokens,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: input + r.usage.output_tokens,
  };
}

// The output items of a rendered turn, completed.
function outputItems(r: Rendered): any[] {
  return r.content.map((b) =>
    b.type === 'text'
      ? { id: newId('msg_'), type: 'message', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: b.text, annotations: [] }] }
      : { id: newId('fc_'), type: 'function_call', status: 'completed', name: b.name, call_id: b.id.replace(/^toolu_/, 'call_'), arguments: JSON.stringify(b.input) },
  );
}

// response.created … output items with their deltas … response.completed (with usage).
export function responsesChunks(r: Rendered): WireChunk[] {
  const id = newId('resp_');
  const created = Math.floor(Date.now() / 1000);
  const items = outputItems(r);
  let n = 0;
  const event = (type: string, data: object, pauseMs?: number): WireChunk => ({ data: sse({ type, sequence_number: n++, ...data }, type), ...(pauseMs ? { pauseMs } : {}) });
  const base = { id, object: 'response', created_at: created, model: r.model };
  const chunks: WireChunk[] = [
    event('response.created', { response: { ...base, status: 'in_progress', output: [], usage: null } }),
    event('response.in_progress', { response: { ...base, status: 'in_progress', output: [], usage: null } }),
  ];
  for (const [output_index, item] of items.entries()) {
    if (item.type === 'message') {
      const full: string = item.content[0].text;
      chunks.push(event('response.output_item.added', { output_index, item: { ...item, status: 'in_progress', content: [] } }));
      chunks.push(event('response.content_part.added', { item_id: item.id, output_index, content_index: 0, part: { type: 'output_text', text: '', annotations: [] } }));
      for (const delta of splitText(full, r.turn.chunks, r.turn.chunkBytes)) {
        chunks.push(event('response.output_text.delta', { item_id: item.id, output_index, content_index: 0, delta }, r.turn.chunkDelayMs));
      }
      chunks.push(event('response.output_text.done', { item_id: item.id, output_index, content_index: 0, text: full }));
      chunks.push(event('response.content_part.done', { item_id: item.id, output_index, content_index: 0, part: item.content[0] }));
    } else {
      chunks.push(event('response.output_item.added', { output_index, item: { ...item, status: 'in_progress', arguments: '' } }));
      for (const delta of splitText(item.arguments, undefined, 1024)) {
        chunks.push(event('response.function_call_arguments.delta', { item_id: item.id, output_index, delta }));
      }
      chunks.push(event('response.function_call_arguments.done', { item_id: item.id, output_index, arguments: item.arguments }));
    }
    chunks.push(event('response.output_item.done', { output_index, item }));
  }
  chunks.push(event('response.completed', { response: { ...base, status: 'completed', output: items, usage: usageOf(r) } }));
  return chunks;
}

/** The OpenAI Responses API. */
export const responsesDialect: Dialect = {
  name: 'openai-responses',
  route: (method, path) => (method === 'POST' && /\/responses$/.test(path) ? { stream: true } : undefined),
  normalize: (body) => normalizeResponses(body),
  respond(rendered, stream): DialectResponse {
    if (stream) return { chunks: responsesChunks(rendered) };
    return { json: { id: newId('resp_'), object: 'response', status: 'completed', model: rendered.model, output: outputItems(rendered), usage: usageOf(rendered) } };
  },
  error(status, message) {
    const kind = ERROR_CODES[status] ?? { type: status >= 500 ? 'server_error' : 'invalid_request_error', code: String(status) };
    return { body: { error: { message, type: kind.type, param: null, code: kind.code } } };
  },
};
