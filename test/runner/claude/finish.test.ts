import { describe, expect, it } from 'vitest';
import type { ParserContext, ProcessExit } from '../../../src/runner/adapter.js';
import { claudeAdapter, finishClaudeRun } from '../../../src/runner/claude/index.js';
import { createStreamState, mapClaudeEvent } from '../../../src/runner/claude/events.js';

const PRE = '11111111-2222-4333-8444-555555555555';
const ctx: ParserContext = {
  request: { agent: { name: 'infra', directory: '/p', description: '', runtime: 'claude', timeout: 60, maxBudgetUsd: 0.5 }, task: 't' },
  invocation: { args: [], env: {}, sessionId: PRE },
  timeoutSeconds: 60,
};
const clean: ProcessExit = { exitCode: 0, signal: null, stderrTail: '', skippedLines: 0 };

function feed(values: Record<string, unknown>[]) {
  const state = createStreamState();
  for (const value of values) mapClaudeEvent(state, value);
  return state;
}

describe('finishClaudeRun', () => {
  it('keeps the partial text, turns and the pre-assigned session of a run killed at its timeout', () => {
    const state = feed([
      { type: 'assistant', message: { id: 'm1', content: [{ type: 'text', text: 'halfway there' }] } },
      { type: 'system', subtype: 'permission_denied', tool_name: 'Bash', tool_use_id: 't1' },
    ]);
    const outcome = finishClaudeRun(state, { exitCode: null, signal: 'SIGKILL', stderrTail: '', skippedLines: 0, reason: 'timeout' }, ctx);
    expect(outcome).toMatchObject({ ok: false, text: 'halfway there', sessionId: PRE, numTurns: 1, costUsd: 0, permissionDenials: [{ toolName: 'Bash', toolUseId: 't1' }] });
    expect(outcome.error?.type).toBe('timeout');
  });

  it('prefers the session id the CLI reported', () => {
    const state = feed([{ type: 'system', subtype: 'init', session_id: 'cli-id' }]);
    expect(finishClaudeRun(state, { ...clean, exitCode: 143 }, ctx).sessionId).toBe('cli-id');
  });

  it('sets structured only when the result has the key', () => {
    const withKey = feed([{ type: 'result', subtype: 'success', is_error: false, result: '{}', structured_output: { a: 1 } }]);
    const without = feed([{ type: 'result', subtype: 'success', is_error: false, result: 'text only' }]);
    expect(finishClaudeRun(withKey, clean, ctx).structured).toEqual({ a: 1 });
    expect('structured' in finishClaudeRun(without, clean, ctx)).toBe(false);
  });

  it('maps usage and the per-run cost from the result', () => {
    const state = feed([{
      type: 'result', subtype: 'success', is_error: false, result: 'ok', num_turns: 2, total_cost_usd: 0.01,
      model_usage_since_last_result: { m: { costUSD: 0.002 } },
      usage: { input_tokens: 100, output_tokens: 20, cache_read_input_tokens: 5, cache_creation_input_tokens: 7 },
      permission_denials: [{ tool_name: 'Write', tool_use_id: 'x', tool_input: { file_path: 'a' } }],
    }]);
    expect(finishClaudeRun(state, clean, ctx)).toMatchObject({
      ok: true, costUsd: 0.002, numTurns: 2,
      usage: { inputTokens: 100, outputTokens: 20, cacheReadInputTokens: 5, cacheCreationInputTokens: 7 },
      permissionDenials: [{ toolName: 'Write', toolUseId: 'x', toolInput: { file_path: 'a' } }],
    });
  });

  it('does not trip on a result with fields of the wrong types', () => {
    const state = feed([{ type: 'result', subtype: 7, is_error: true, errors: 'oops', result: 5, usage: 'x', permission_denials: 'y', model_usage_since_last_result: 3, session_id: {} }]);
    const outcome = finishClaudeRun(state, { ...clean, exitCode: 1 }, ctx);
    expect(outcome).toMatchObject({ ok: false, sessionId: PRE, costUsd: 0, permissionDenials: [] });
    expect(outcome.error?.type).toBe('cli_error');
  });

  it('is what the adapter parser does', () => {
    const parser = claudeAdapter.createParser(ctx);
    expect(parser.done).toBe(false);
    expect(parser.push({ type: 'result', subtype: 'success', is_error: false, result: 'hi' })).toHaveLength(1);
    expect(parser.done).toBe(true);
    expect(parser.finish(clean)).toMatchObject({ ok: true, text: 'hi' });
  });
});
