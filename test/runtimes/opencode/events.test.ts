import { describe, expect, it } from 'vitest';
import { createOpenCodeState, mapOpenCodeEvent } from '../../../src/runner/opencode/events.js';

const S = 'ses_dec8edd74ffekJz2BKS1E526Mg';
const step = (reason: string, cost = 0) => ({ type: 'step_finish', sessionID: S, part: { type: 'step-finish', reason, tokens: { total: 120, input: 100, output: 15, reasoning: 5, cache: { write: 0, read: 30 } }, cost } });

describe('mapOpenCodeEvent', () => {
  it('maps a tool step and an answer step, summing usage and reported cost', () => {
    const state = createOpenCodeState();
    const lines = [
      { type: 'step_start', sessionID: S, part: { type: 'step-start' } },
      { type: 'tool_use', sessionID: S, part: { type: 'tool', tool: 'bash', callID: 'call_2', state: { status: 'completed', input: { command: 'echo hi' }, output: 'hi\n', metadata: { exit: 0 } } } },
      step('tool-calls', 0.001),
      { type: 'step_start', sessionID: S, part: { type: 'step-start' } },
      { type: 'text', sessionID: S, part: { type: 'text', text: 'Tool said hi' } },
      step('stop', 0.002),
    ];
    const events = lines.flatMap((line) => mapOpenCodeEvent(state, line));
    expect(events).toEqual([
      { type: 'init', sessionId: S },
      { type: 'tool_use', id: 'call_2', name: 'bash', input: { command: 'echo hi' } },
      { type: 'tool_result', toolUseId: 'call_2', isError: false, content: 'hi\n' },
      { type: 'text', text: 'Tool said hi' },
    ]);
    expect(state).toMatchObject({ steps: 2, stopped: true, lastText: 'Tool said hi', reportedCost: 0.003 });
    expect(state.usage).toEqual({ inputTokens: 200, outputTokens: 40, cacheReadInputTokens: 60, cacheCreationInputTokens: 0 });
  });

  it.each([
    ['an ask auto-rejected by run', { type: 'tool', tool: 'bash', callID: 'c1', state: { status: 'error', input: { command: 'ls' }, error: 'The user rejected permission to use this specific tool call.' } }, 'bash'],
    ['a call to a denied tool', { type: 'tool', tool: 'invalid', callID: 'c2', state: { status: 'completed', input: { tool: 'bash', error: "Model tried to call unavailable tool 'bash'. Available tools: glob, read." }, output: 'The arguments provided to the tool are invalid' } }, 'bash'],
  ])('records %s as a denial', (_title, part, toolName) => {
    const state = createOpenCodeState();
    mapOpenCodeEvent(state, { type: 'tool_use', sessionID: S, part });
    expect(state.denials).toEqual([expect.objectContaining({ toolName })]);
  });

  it('keeps an API error with its status', () => {
    const state = createOpenCodeState();
    mapOpenCodeEvent(state, { type: 'error', sessionID: S, error: { name: 'APIError', data: { message: 'Incorrect API key provided', statusCode: 401, isRetryable: false } } });
    expect(state.error).toEqual({ name: 'APIError', message: 'Incorrect API key provided', status: 401 });
  });
});
