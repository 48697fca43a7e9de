import { describe, expect, it } from 'vitest';
import { createCodexState, mapCodexEvent } from '../../../src/runner/codex/events.js';

// Lines as Codex 0.169.0 printed them against the stand-in (runtimes-notes.md).
const LINES = [
  { type: 'thread.started', thread_id: '01a2136f-f8a7-7183-8be1-774452e27945' },
  { type: 'turn.started' },
  { type: 'item.started', item: { id: 'item_0', type: 'command_execution', command: "/bin/bash -lc 'pwd'", aggregated_output: '', exit_code: null, status: 'in_progress' } },
  { type: 'item.completed', item: { id: 'item_0', type: 'command_execution', command: "/bin/bash -lc 'pwd'", aggregated_output: '/p\n', exit_code: 0, status: 'completed' } },
  { type: 'item.completed', item: { id: 'item_1', type: 'agent_message', text: 'Done: /p' } },
  { type: 'turn.completed', usage: { input_tokens: 200, cached_input_tokens: 50, cache_write_input_tokens: 0, output_tokens: 40, reasoning_output_tokens: 0 } },
];

describe('mapCodexEvent', () => {
  it('maps a tool run and an answer to common events and keeps the outcome facts', () => {
    const state = createCodexState();
    const events = LINES.flatMap((line) => mapCodexEvent(state, line));
    expect(events).toEqual([
      { type: 'init', sessionId: '01a2136f-f8a7-7183-8be1-774452e27945' },
      { type: 'tool_use', id: 'item_0', name: 'shell', input: { command: "/bin/bash -lc 'pwd'" } },
      { type: 'tool_result', toolUseId: 'item_0', isError: false, content: '/p\n' },
      { type: 'text', text: 'Done: /p' },
    ]);
    expect(state).toMatchObject({ completed: true, lastText: 'Done: /p', responses: 2 });
    expect(state.usage).toEqual({ inputTokens: 150, outputTokens: 40, cacheReadInputTokens: 50, cacheCreationInputTokens: 0 });
  });

  it.each([
    ['a failed command', { id: 'i', type: 'command_execution', command: 'false', aggregated_output: '', exit_code: 1, status: 'failed' }, 'shell', true],
    ['a file change', { id: 'i', type: 'file_change', changes: [{ path: 'a.txt', kind: 'add' }], status: 'completed' }, 'apply_patch', false],
    ['an MCP call', { id: 'i', type: 'mcp_tool_call', server: 'echo', tool: 'say', arguments: {}, result: { content: [] }, status: 'completed' }, 'mcp__echo__say', false],
  ])('announces %s once, even when only item.completed arrives', (_title, item, name, isError) => {
    const state = createCodexState();
    const events = mapCodexEvent(state, { type: 'item.completed', item });
    expect(events.map((e) => e.type)).toEqual(['tool_use', 'tool_result']);
    expect(events[0]).toMatchObject({ name });
    expect(events[1]).toMatchObject({ isError });
  });

  it('records turn.failed and error lines', () => {
    const state = createCodexState();
    mapCodexEvent(state, { type: 'error', message: 'unexpected status 401 Unauthorized: bad key' });
    mapCodexEvent(state, { type: 'turn.failed', error: { message: 'unexpected status 401 Unauthorized: bad key' } });
    expect(state).toMatchObject({ failed: 'unexpected status 401 Unauthorized: bad key', errors: ['unexpected status 401 Unauthorized: bad key'], completed: false });
  });

  it('ignores lines it does not know and survives odd shapes', () => {
    const state = createCodexState();
    expect(mapCodexEvent(state, { type: 'item.completed', item: 'nope' })).toEqual([]);
    expect(mapCodexEvent(state, { type: 'something.new' })).toEqual([]);
    expect(mapCodexEvent(state, { type: 'turn.completed', usage: { input_tokens: -5, output_tokens: 'x' } })).toEqual([]);
    expect(state.usage).toEqual({ inputTokens: 0, outputTokens: 0, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 });
  });
});
