// Shapes recorded from Claude Code 2.1.328 stream-json (claude-cli.md §5, §16).
import { describe, expect, it } from 'vitest';
import { createStreamState, mapClaudeEvent, runCost } from '../../../src/runner/claude/events.js';

const SID = 'e9b7c0de-1111-4222-8333-444455556666';
const init = {
  type: 'system', subtype: 'init', cwd: '/p', session_id: SID, model: 'claude-opus-5-5', permissionMode: 'default',
  tools: ['Task', 'Bash', 'Write'], mcp_servers: [{ name: 'echo', status: 'connected', source: 'dynamic' }],
  apiKeySource: 'ANTHROPIC_API_KEY', claude_code_version: '2.1.328',
};
const assistantText = {
  type: 'assistant', parent_tool_use_id: null, session_id: SID,
  message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-opus-5-5', content: [{ type: 'text', text: 'Running it' }], stop_reason: null },
};
const assistantTool = {
  type: 'assistant', parent_tool_use_id: null, session_id: SID,
  message: { id: 'msg_1', role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'Bash', input: { command: 'echo hi' } }] },
};
const toolResult = {
  type: 'user', parent_tool_use_id: null, session_id: SID,
  message: { role: 'user', content: [{ tool_use_id: 'toolu_1', type: 'tool_result', content: 'BASH_OUT_42', is_error: false }] },
  tool_use_result: { stdout: 'BASH_OUT_42', stderr: '' },
};
const mcpResult = {
  type: 'user',
  message: { role: 'user', content: [{ tool_use_id: 'toolu_2', type: 'tool_result', content: [{ type: 'text', text: 'ECHO:ping' }, { type: 'image' }], is_error: true }] },
};
const denied = { type: 'system', subtype: 'permission_denied', tool_name: 'mcp__echo__echo', tool_use_id: 'toolu_3', message: 'Claude requested permissions…' };
const result = {
  type: 'result', subtype: 'success', is_error: false, result: 'Done', session_id: SID, num_turns: 2,
  total_cost_usd: 0.004, model_usage_since_last_result: { 'claude-opus-5-5': { costUSD: 0.0008 } },
  usage: { input_tokens: 100, output_tokens: 20 }, permission_denials: [],
};

describe('mapClaudeEvent', () => {
  it.each([
    ['init', init, [{ type: 'init', sessionId: SID, model: 'claude-opus-5-5', tools: ['Task', 'Bash', 'Write'], mcpServers: [{ name: 'echo', status: 'connected' }] }]],
    ['assistant text', assistantText, [{ type: 'text', text: 'Running it' }]],
    ['assistant tool use', assistantTool, [{ type: 'tool_use', id: 'toolu_1', name: 'Bash', input: { command: 'echo hi' } }]],
    ['a tool result', toolResult, [{ type: 'tool_result', toolUseId: 'toolu_1', isError: false, content: 'BASH_OUT_42' }]],
    ['an MCP tool result with content blocks', mcpResult, [{ type: 'tool_result', toolUseId: 'toolu_2', isError: true, content: 'ECHO:ping\n[image]' }]],
    ['the result', result, [{ type: 'result', ok: true, text: 'Done', sessionId: SID, costUsd: 0.0008, numTurns: 2 }]],
    ['a permission denial (recorded, not emitted)', denied, []],
    ['a status line', { type: 'system', subtype: 'status', status: 'requesting' }, []],
    ['a partial-message stream event', { type: 'stream_event', event: { type: 'content_block_delta' } }, []],
    ['an unknown type', { type: 'future_thing' }, []],
    ['an assistant event without a message', { type: 'assistant' }, []],
    ['content that is not a list', { type: 'user', message: { content: 'plain' } }, []],
  ])('maps %s', (_title, value, expected) => {
    expect(mapClaudeEvent(createStreamState(), value as Record<string, unknown>)).toEqual(expected);
  });

  it('keeps the state the outcome needs', () => {
    const state = createStreamState();
    for (const value of [init, assistantText, assistantTool, toolResult, denied, { ...assistantText, message: { ...assistantText.message, id: 'msg_2', content: [{ type: 'text', text: 'Final words' }] } }]) {
      mapClaudeEvent(state, value as Record<string, unknown>);
    }
    expect(state.sessionId).toBe(SID);
    expect(state.lastText).toBe('Final words');
    expect(state.messageIds.size).toBe(2);
    expect(state.denials).toEqual([{ toolName: 'mcp__echo__echo', toolUseId: 'toolu_3' }]);
    expect(state.result).toBeUndefined();
  });

  it('does not take sub-agent text as the answer', () => {
    const state = createStreamState();
    mapClaudeEvent(state, { ...assistantText, parent_tool_use_id: 'toolu_9' });
    expect(state.lastText).toBe('');
  });

  it('reports an error result as not ok with its errors as text', () => {
    const events = mapClaudeEvent(createStreamState(), { type: 'result', subtype: 'error_max_turns', is_error: true, errors: ['Reached maximum number of turns (3)'] });
    expect(events).toEqual([{ type: 'result', ok: false, text: 'Reached maximum number of turns (3)', costUsd: 0 }]);
  });
});

describe('runCost', () => {
  it.each([
    ['the per-run cost on a resumed session', { total_cost_usd: 0.004, model_usage_since_last_result: { a: { costUSD: 0.0008 } } }, 0.0008],
    ['the sum over models', { total_cost_usd: 1, model_usage_since_last_result: { a: { costUSD: 0.25 }, b: { costUSD: 0.5 } } }, 0.75],
    ['the total when the per-run figures are missing', { total_cost_usd: 0.0024 }, 0.0024],
    ['the total when a per-run figure is not a number', { total_cost_usd: 0.3, model_usage_since_last_result: { a: {} } }, 0.3],
    ['zero when nothing is reported', {}, 0],
  ])('uses %s', (_title, value, expected) => {
    expect(runCost(value)).toBeCloseTo(expected, 10);
  });
});
