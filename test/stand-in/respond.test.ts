import { describe, expect, it } from 'vitest';
import { renderTurn, splitText, sseFrame, sseFrames } from '../../src/stand-in/respond.js';
import { text, toolUse, turn, type Turn, type Usage } from '../../src/stand-in/script.js';

const usage: Usage = { input_tokens: 100, output_tokens: 20, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };

describe('splitText', () => {
  it.each([
    ['abcdef', 3, undefined, ['ab', 'cd', 'ef']],
    ['abcdefg', 3, undefined, ['abc', 'def', 'g']],
    ['ab', 5, undefined, ['a', 'b']],
    ['abcdef', undefined, 4, ['abcd', 'ef']],
    ['', 3, undefined, []],
  ])('splits %j into %j chunks / size %j', (body, chunks, size, expected) => {
    expect(splitText(body, chunks, size)).toEqual(expected);
  });
});

describe('sseFrames', () => {
  it('frames a text turn as message_start, ping, block start, deltas, block stop, message_delta, message_stop', () => {
    const frames = sseFrames(renderTurn(text('Hello world', { chunks: 2 }), 'claude-opus-5-5', usage));
    expect(frames.map((f) => f.event)).toEqual([
      'message_start', 'ping', 'content_block_start', 'content_block_delta', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop',
    ]);
    expect(frames[0]?.data).toMatchObject({ message: { role: 'assistant', model: 'claude-opus-5-5', content: [], usage: { input_tokens: 100, output_tokens: 1 } } });
    expect(frames.at(-2)?.data).toEqual({ type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 20 } });
  });

  it('streams tool input as input_json_delta pieces that join to the input, and stops with tool_use', () => {
    const input = { command: 'echo hi', description: 'x'.repeat(3000) };
    const frames = sseFrames(renderTurn(toolUse('Bash', input, { text: 'Running' }) as Turn, 'm', usage));
    const start = frames.find((f) => (f.data as any).content_block?.type === 'tool_use')?.data as any;
    expect(start).toMatchObject({ index: 1, content_block: { type: 'tool_use', name: 'Bash', input: {} } });
    expect(start.content_block.id).toMatch(/^toolu_/);
    const json = frames.filter((f) => (f.data as any).delta?.type === 'input_json_delta').map((f) => (f.data as any).delta.partial_json).join('');
    expect(JSON.parse(json)).toEqual(input);
    expect((frames.at(-2)?.data as any).delta.stop_reason).toBe('tool_use');
  });

  it('gives every tool_use block its own index and id', () => {
    const rendered = renderTurn(turn(['a', { name: 'Read', input: {} }, { name: 'Write', input: {} }]), 'm', usage);
    const ids = rendered.content.flatMap((b) => (b.type === 'tool_use' ? [b.id] : []));
    expect(new Set(ids).size).toBe(2);
    expect(sseFrames(rendered).filter((f) => f.event === 'content_block_stop').map((f) => (f.data as any).index)).toEqual([0, 1, 2]);
  });

  it('ends with an SSE error event after the asked number of deltas', () => {
    const frames = sseFrames(renderTurn(text('abcdef', { chunks: 3, streamErrorAfter: 1 }), 'm', usage));
    expect(frames.map((f) => f.event).slice(-2)).toEqual(['content_block_delta', 'error']);
  });

  it('writes frames as `event:` and `data:` lines followed by a blank line', () => {
    expect(sseFrame({ event: 'ping', data: { type: 'ping' } })).toBe('event: ping\ndata: {"type":"ping"}\n\n');
  });
});
