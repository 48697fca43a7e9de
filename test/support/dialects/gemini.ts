// The Gemini API (`/v1beta/models/{model}:streamGenerateContent?alt=sse` and `:generateContent`), as Gemini CLI speaks it.
import { newId, splitText, type Rendered } from '../../../src/stand-in/respond.js';
import { text } from '../../../src/stand-in/script.js';
import { pushBlocks, sse } from './server.js';
import type { Dialect, DialectRequest, Normalized, WireChunk } from './types.js';

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

const ROUTE = /^\/v1(?:beta|alpha)?\/models\/([^/:]+):(streamGenerateContent|generateContent)$/;
const CONTEXT_BLOCK = /<session_context>[\s\S]*?<\/session_context>/g;

function partsText(parts: any[]): string {
  return parts.map((p) => (typeof p?.text === 'string' && p.thought !== true ? p.text : '')).filter(Boolean).join('\n');
}

// contents → Anthropic-shaped messages; functionCall parts are tool_use, functionResponse parts tool_result.
export function normalizeGemini(body: any, path: string, stream: boolean): Normalized {
  const messages: any[] = [];
  for (const content of Array.isArray(body?.contents) ? body.contents : []) {
    const parts: any[] = Array.isArray(content?.parts) ? content.parts : [];
    const role = content?.role === 'model' ? 'assistant' : 'user';
    const blocks: any[] = [];
    for (const part of parts) {
      if (typeof part?.text === 'string' && part.thought !== true) blocks.push({ type: 'text', text: part.text });
      else if (part?.functionCall) blocks.push({ type: 'tool_use', id: String(part.functionCall.id ?? ''), name: String(part.functionCall.name ?? ''), input: part.functionCall.args ?? {} });
      else if (part?.functionResponse) {
        const response = part.functionResponse.response ?? {};
        const output = typeof response.output === 'string' ? response.output : JSON.stringify(response);
        blocks.push({ type: 'tool_result', tool_use_id: String(part.functionResponse.id ?? ''), content: output, is_error: response.error !== undefined });
      }
    }
    // A user turn that only answers calls is a tool-result message; text and results in one turn stay together.
    pushBlocks(messages, role, blocks);
  }
  const tools = (Array.isArray(body?.tools) ? body.tools : []).flatMap((t: any) => (Array.isArray(t?.functionDeclarations) ? t.functionDeclarations.map((f: any) => String(f?.name ?? '')) : []));
  return {
    model: ROUTE.exec(path)?.[1] ?? '',
    stream,
    system: partsText(body?.systemInstruction?.parts ?? []),
    messages,
    tools,
    maxTokens: body?.generationConfig?.maxOutputTokens,
  };
}

function usageOf(r: Rendered) {
  const prompt = r.usage.input_tokens + r.usage.cache_read_input_tokens;
  return {
    promptTokenCount: prompt,
    candidatesTokenCount: r.usage.output_tokens,
    totalTokenCount: prompt + r.usage.output_tokens,
    ...(r.usage.cache_read_input_tokens ? { cachedContentTokenCount: r.usage.cache_read_input_tokens } : {}),
  };
}

function parts(r: Rendered): any[] {
  return r.content.map((b) => (b.type === 'text' ? { text: b.text } : { functionCall: { name: b.name, args: b.input, id: b.id.replace(/^toolu_/, 'call_') } }));
}

// One SSE chunk per text delta, then the calls, then a final chunk with finishReason and usage.
export function geminiChunks(r: Rendered): WireChunk[] {
  const responseId = newId('');
  const chunk = (p: any[], extra: object = {}) => ({ candidates: [{ content: { role: 'model', parts: p }, index: 0, ...extra }], modelVersion: r.model, responseId });
  const chunks: WireChunk[] = [];
  for (const block of r.content) {
    if (block.type === 'text') {
      for (const piece of splitText(block.text, r.turn.chunks, r.turn.chunkBytes)) chunks.push({ data: sse(chunk([{ text: piece }])), ...(r.turn.chunkDelayMs ? { pauseMs: r.turn.chunkDelayMs } : {}) });
    } else {
      chunks.push({ data: sse(chunk([{ functionCall: { name: block.name, args: block.input, id: block.id.replace(/^toolu_/, 'call_') } }])) });
    }
  }
  chunks.push({ data: sse({ ...chunk([{ text: '' }], { finishReason: 'STOP' }), usageMetadata: usageOf(r) }) });
  return chunks;
}

// The routing classifier (default model "auto") asks for JSON: answer it without consulting the rules.
function automatic(request: DialectRequest) {
  const config = request.body?.generationConfig ?? {};
  const schema = JSON.stringify(config.responseJsonSchema ?? config.responseSchema ?? {});
  if (!request.stream && config.responseMimeType === 'application/json' && schema.includes('complexity')) {
    return { kind: 'router' as const, turn: text(JSON.stringify({ complexity_reasoning: 'stand-in', complexity_score: 10 })) };
  }
  return undefined;
}

/** The Gemini API. */
export const geminiDialect: Dialect = {
  name: 'gemini',
  route(method, path) {
    const m = ROUTE.exec(path);
    return method === 'POST' && m ? { stream: m[2] === 'streamGenerateContent' } : undefined;
  },
  normalize: normalizeGemini,
  cleanPrompt: (prompt) => prompt.replace(CONTEXT_BLOCK, '').trim(),
  automatic,
  respond(rendered, stream) {
    if (stream) return { chunks: geminiChunks(rendered) };
    return { json: { candidates: [{ content: { role: 'model', parts: parts(rendered) }, finishReason: 'STOP', index: 0 }], usageMetadata: usageOf(rendered), modelVersion: rendered.model } };
  },
  error(status, message) {
    return { body: { error: { code: status, message, status: STATUS_NAMES[status] ?? (status >= 500 ? 'INTERNAL' : 'FAILED_PRECONDITION') } } };
  },
};
