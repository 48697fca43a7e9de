import { describe, expect, it } from 'vitest';
import { ZERO_USAGE, type ParserContext, type ProcessExit } from '../../src/runner/adapter.js';
import { adapterOutcome, exitFacts, failureNames, finishedFailure } from '../../src/runner/runtime-outcome.js';
import type { ResolvedAgent } from '../../src/shared/types.js';

const agent: ResolvedAgent = { name: 'cx', directory: '/tmp/cx', description: '', runtime: 'codex', timeout: 60 };
const context = (extra: Partial<ResolvedAgent> = {}, jsonSchema?: Record<string, unknown>): ParserContext => ({
  request: { agent: { ...agent, ...extra }, task: 'hi', ...(jsonSchema ? { jsonSchema } : {}) },
  invocation: { args: [], env: {} },
  timeoutSeconds: 90,
});
const names = { agent: 'cx', cli: 'Codex', timeoutSeconds: 90 };

describe('the end of a Codex, Gemini or OpenCode run', () => {
  it('takes the exit facts from the process and the budget cap from the agent', () => {
    const exit: ProcessExit = { exitCode: 1, signal: null, stderrTail: 'boom', skippedLines: 0 };
    expect(exitFacts(exit, context(), 0.5)).toEqual({ exitCode: 1, signal: null, stderr: 'boom', costUsd: 0.5 });
    expect(exitFacts({ ...exit, reason: 'timeout' }, context({ maxBudgetUsd: 2 }), 0)).toEqual({ exitCode: 1, signal: null, stderr: 'boom', costUsd: 0, reason: 'timeout', maxBudgetUsd: 2 });
  });

  it('names the agent, the CLI, the timeout and the session when there is one', () => {
    expect(failureNames(context(), 'Codex', undefined)).toEqual(names);
    expect(failureNames(context(), 'Codex', 's-1')).toEqual({ ...names, sessionId: 's-1' });
  });

  it.each([
    [undefined, 5, undefined],
    [0, 5, undefined],
    [10, 5, undefined],
    [1, 5, 'budget'],
  ])('with a cap of %s, a finished run costing $%s fails as %s', (maxBudgetUsd, costUsd, type) => {
    const facts = { exitCode: 0, signal: null, stderr: '', costUsd, ...(maxBudgetUsd === undefined ? {} : { maxBudgetUsd }) };
    expect(finishedFailure(facts, names)?.type).toBe(type);
  });

  it('assembles the outcome, parsing a requested JSON answer only when the CLI finished it', () => {
    const run = { text: '{"a":1}', sessionId: 's-1', costUsd: 0.1, usage: { ...ZERO_USAGE }, numTurns: 2, permissionDenials: [], answered: true, error: undefined };
    expect(adapterOutcome(context(), run)).toEqual({ ok: true, text: '{"a":1}', sessionId: 's-1', costUsd: 0.1, usage: ZERO_USAGE, numTurns: 2, permissionDenials: [] });
    expect(adapterOutcome(context({}, { type: 'object' }), run).structured).toEqual({ a: 1 });
    expect(adapterOutcome(context({}, { type: 'object' }), { ...run, answered: false }).structured).toBeUndefined();
    const error = { type: 'cli_error' as const, message: 'codex exited with code 1.' };
    expect(adapterOutcome(context(), { ...run, sessionId: undefined, error })).toEqual({ ok: false, text: '{"a":1}', costUsd: 0.1, usage: ZERO_USAGE, numTurns: 2, permissionDenials: [], error });
  });
});
