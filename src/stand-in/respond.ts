// Turns a scripted turn into what the Messages API sends: an SSE event sequence or one JSON message.
import { randomBytes } from 'node:crypto';
import type { Turn, Usage } from './script.js';

/** One SSE frame to write, and how long to pause after it. */
export interface Frame {
  event: string;
  data: unknown;
  pauseMs?: number;
}

const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

// A random id in the API's style (`msg_…`, `toolu_…`, `req_…`).
export function newId(prefix: string): string {
  return prefix + [...randomBytes(24)].map((b) => ID_CHARS[b % ID_CHARS.length]).join('');
}

// Split a string into deltas: `chunks` equal parts, else pieces of at most `size` characters.
export function splitText(body: string, chunks: number | undefined, size = 16_384): string[] {
  if (body === '') return [];
  const step = chunks && chunks > 0 ? Math.ceil(body.length / Math.min(chunks, body.length)) : Math.max(1, size);
  const out: string[] = [];
  for (let i = 0; i < body.length; i += step) out.push(body.slice(i, i + step));
  return out;
}

/** A scripted turn with ids assigned, ready to be rendered either way. */
export interface Rendered {
  id: string;
  model: string;
  turn: Turn;
  content: Array<{ type: 'text'; text: string } | { type: 'tool_use'; id: string; name: string; input: unknown }>;
  stopReason: string;
  usage: Usage;
}

// Assign ids and the stop reason to a turn.
export function renderTurn(turn: Turn, model: string, usage: Usage): Rendered {
  const content = turn.blocks.map((b) =>
    b.type === 'text' ? { type: 'text' as const, text: b.text } : { type: 'tool_use' as const, id: b.id ?? newId('toolu_'), name: b.name, input: b.input ?? {} },
  );
  const stopReason = turn.stopReason ?? (content.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn');
  return { id: newId('msg_'), model, turn, content, stopReason, usage };
}

// The non-streaming response body.
export function messageJson(r: Rendered): object {
  return { id: r.id, type: 'message', role: 'assistant', model: r.model, content: r.content, stop_reason: r.stopReason, stop_sequence: null, usage: r.usage };
}

// The streaming response: message_start, ping, one start/delta…/stop per block, message_delta, message_stop.
export function sseFrames(r: Rendered): Frame[] {
  const { turn } = r;
  const pause = turn.chunkDelayMs;
  const frames: Frame[] = [
    {
      event: 'message_start',
      data: {
        type: 'message_start',
        message: { id: r.id, type: 'message', role: 'assistant', model: r.model, content: [], stop_reason: null, stop_sequence: null, usage: { ...r.usage, output_tokens: 1 } },
      },
    },
    { event: 'ping', data: { type: 'ping' } },
  ];
  let textDeltas = 0;
  for (const [index, block] of r.content.entries()) {
    if (block.type === 'text') {
      frames.push({ event: 'content_block_start', data: { type: 'content_block_start', index, content_block: { type: 'text', text: '' } } });
      for (const piece of splitText(block.text, turn.chunks, turn.chunkBytes)) {
        if (turn.streamErrorAfter !== undefined && textDeltas === turn.streamErrorAfter) {
          frames.push({ event: 'error', data: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } });
          return frames;
        }
        frames.push({ event: 'content_block_delta', data: { type: 'content_block_delta', index, delta: { type: 'text_delta', text: piece } }, pauseMs: pause });
        textDeltas++;
      }
    } else {
      frames.push({
        event: 'content_block_start',
        data: { type: 'content_block_start', index, content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} } },
      });
      for (const piece of ['', ...splitText(JSON.stringify(block.input), undefined, 1024)]) {
        frames.push({ event: 'content_block_delta', data: { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: piece } } });
      }
    }
    frames.push({ event: 'content_block_stop', data: { type: 'content_block_stop', index } });
  }
  frames.push(
    { event: 'message_delta', data: { type: 'message_delta', delta: { stop_reason: r.stopReason, stop_sequence: null }, usage: { output_tokens: r.usage.output_tokens } } },
    { event: 'message_stop', data: { type: 'message_stop' } },
  );
  return frames;
}

// One SSE frame as written on the wire.
export function sseFrame(frame: Frame): string {
  return `event: ${frame.event}\ndata: ${JSON.stringify(frame.data)}\n\n`;
}

// The API's error body.
export function errorJson(type: string, message: string, requestId: string): object {
  return { type: 'error', error: { type, message }, request_id: requestId };
}
