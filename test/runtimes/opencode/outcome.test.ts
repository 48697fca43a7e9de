import { describe, expect, it } from 'vitest';
import { createOpenCodeState, type OpenCodeState } from '../../../src/runner/opencode/events.js';
import { classifyOpenCodeOutcome, type OpenCodeClassifyInput } from '../../../src/runner/opencode/outcome.js';

const names = { agent: 'oc', cli: 'OpenCode', timeoutSeconds: 60, sessionId: 'ses_dec8edd74ffekJz2BKS1E526Mg' };

function input(state: Partial<OpenCodeState>, rest: Partial<OpenCodeClassifyInput> = {}): OpenCodeClassifyInput {
  return { state: { ...createOpenCodeState(), ...state }, exitCode: 1, signal: null, stderr: '', costUsd: 0, budgetStop: false, ...rest };
}

describe('classifyOpenCodeOutcome', () => {
  it.each<[string, OpenCodeClassifyInput, string | undefined]>([
    ['a finished run', input({ stopped: true }, { exitCode: 0 }), undefined],
    ['a finished run stopped while lingering', input({ stopped: true }, { exitCode: null, signal: 'SIGTERM', reason: 'finished' }), undefined],
    ['a run the adapter stopped at the budget', input({}, { exitCode: null, signal: 'SIGTERM', reason: 'finished', budgetStop: true, costUsd: 0.2, maxBudgetUsd: 0.1 }), 'budget'],
    ['a 401', input({ error: { name: 'APIError', message: 'Incorrect API key', status: 401 } }), 'auth'],
    ['a 429', input({ error: { name: 'APIError', message: 'Rate limit', status: 429 } }), 'rate_limit'],
    ['a 529', input({ error: { name: 'APIError', message: 'Overloaded', status: 529 } }), 'overloaded'],
    ['an unknown model', input({ error: { name: 'ProviderModelNotFoundError', message: 'x' } }), 'cli_error'],
    ['an unknown session', input({}, { stderr: '\u001b[91m\u001b[1mError: \u001b[0mSession not found\n' }), 'not_found'],
    ['a run ended by a rejected permission', input({ denials: [{ toolName: 'bash' }] }, { exitCode: 0 }), 'permission'],
    ['a timeout', input({}, { exitCode: null, signal: 'SIGTERM', reason: 'timeout' }), 'timeout'],
    ['an exit 0 without an answer', input({}, { exitCode: 0 }), 'cli_error'],
  ])('classifies %s', (_title, value, type) => {
    expect(classifyOpenCodeOutcome(value, names)?.type).toBe(type);
  });

  it('says the budget stop stopped the run', () => {
    const failure = classifyOpenCodeOutcome(input({}, { budgetStop: true, costUsd: 0.2, maxBudgetUsd: 0.1 }), names);
    expect(failure?.message).toMatch(/passed its budget cap of \$0.1 \(spent \$0.2000\) and was stopped/);
    expect(failure?.hint).toContain(names.sessionId);
  });
});
