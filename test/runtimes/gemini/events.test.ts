import { describe, expect, it } from 'vitest';
import { createGeminiState, mapGeminiEvent } from '../../../src/runner/gemini/events.js';
import { costOf } from '../../../src/runner/gemini/index.js';
import { createPricer } from '../../../src/runner/runtime-support.js';

// Lines as Gemini CLI 0.61.0 printed them with --yolo against the stand-in (runtimes-notes.md).
const LINES = [
  { type: 'init', session_id: '11a1c435-0000-4000-8000-000000000000', model: 'gemini-2.5-flash' },
  { type: 'message', role: 'user', content: 'run it' },
  { type: 'message', role: 'assistant', content: 'Running', delta: true },
  { type: 'message', role: 'assistant', content: ' it.', delta: true },
  { type: 'tool_use', tool_name: 'run_shell_command', tool_id: 't1', parameters: { command: 'echo hi' } },
  { type: 'tool_result', tool_id: 't1', status: 'success', output: 'hi' },
  { type: 'message', role: 'assistant', content: 'Tool said ', delta: true },
  { type: 'message', role: 'assistant', content: 'hi', delta: true },
  {
    type: 'result',
    status: 'success',
    stats: { models: { 'gemini-2.5-flash': { total_tokens: 240, input_tokens: 200, output_tokens: 40, cached: 50, input: 150 }, 'gemini-2.5-flash-lite': { input_tokens: 10, output_tokens: 5, cached: 0, input: 10 } } },
  },
];

describe('mapGeminiEvent', () => {
  it('joins text deltas into one text event per assistant message and keeps the last as the answer', () => {
    const state = createGeminiState();
    const events = LINES.flatMap((line) => mapGeminiEvent(state, line));
    expect(events).toEqual([
      { type: 'init', sessionId: '11a1c435-0000-4000-8000-000000000000', model: 'gemini-2.5-flash' },
      { type: 'text', text: 'Running it.' },
      { type: 'tool_use', id: 't1', name: 'run_shell_command', input: { command: 'echo hi' } },
      { type: 'tool_result', toolUseId: 't1', isError: false, content: 'hi' },
      { type: 'text', text: 'Tool said hi' },
    ]);
    expect(state.lastText).toBe('Tool said hi');
    expect(state.responses).toBe(2);
    expect(state.models.get('gemini-2.5-flash')).toEqual({ inputTokens: 150, outputTokens: 40, cacheReadInputTokens: 50, cacheCreationInputTokens: 0 });
  });

  it('prices every model in the stats, the router model included', () => {
    const state = createGeminiState();
    for (const line of LINES) mapGeminiEvent(state, line);
    const pricer = createPricer({ 'gemini-2.5-flash': { input_per_mtok: 1, cached_input_per_mtok: 0.5, output_per_mtok: 10 }, 'gemini-2.5-flash-lite': { input_per_mtok: 1, output_per_mtok: 1 } });
    expect(costOf(state, undefined, pricer)).toBeCloseTo((150 + 25 + 400 + 15) / 1e6, 12);
  });

  it('records a call to a shell tool withheld outside yolo as a permission denial', () => {
    const state = createGeminiState();
    mapGeminiEvent(state, { type: 'tool_use', tool_name: 'run_shell_command', tool_id: 't2', parameters: { command: 'rm -rf x' } });
    const [event] = mapGeminiEvent(state, { type: 'tool_result', tool_id: 't2', status: 'error', error: { type: 'tool_not_registered', message: 'Tool "run_shell_command" not found.' } });
    expect(event).toEqual({ type: 'tool_result', toolUseId: 't2', isError: true, content: 'Tool "run_shell_command" not found.' });
    expect(state.denials).toEqual([{ toolName: 'run_shell_command', toolUseId: 't2', toolInput: { command: 'rm -rf x' } }]);
  });

  it('does not count an unknown tool the model made up as a denial', () => {
    const state = createGeminiState();
    mapGeminiEvent(state, { type: 'tool_use', tool_name: 'made_up', tool_id: 't3', parameters: {} });
    mapGeminiEvent(state, { type: 'tool_result', tool_id: 't3', status: 'error', error: { type: 'tool_not_registered', message: 'not found' } });
    expect(state.denials).toEqual([]);
  });
});
