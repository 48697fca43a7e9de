import { describe, expect, it } from 'vitest';
import { createCodexState, type CodexState } from '../../../src/runner/codex/events.js';
import { classifyCodexOutcome, statusIn, type CodexClassifyInput } from '../../../src/runner/codex/outcome.js';

const names = { agent: 'cx', cli: 'Codex', timeoutSeconds: 60, sessionId: '01a2136f-f8a7-7183-8be1-774452e27945' };

function input(state: Partial<CodexState>, rest: Partial<CodexClassifyInput> = {}): CodexClassifyInput {
  return { state: { ...createCodexState(), ...state }, exitCode: 1, signal: null, stderr: '', costUsd: 0, ...rest };
}

describe('classifyCodexOutcome', () => {
  it.each<[string, CodexClassifyInput, string | undefined]>([
    ['a completed turn', input({ completed: true }, { exitCode: 0 }), undefined],
    ['a completed turn stopped while lingering', input({ completed: true }, { exitCode: null, signal: 'SIGTERM', reason: 'finished' }), undefined],
    ['a completed turn over budget', input({ completed: true }, { exitCode: 0, costUsd: 0.5, maxBudgetUsd: 0.1 }), 'budget'],
    ['a 401', input({ failed: 'unexpected status 401 Unauthorized: Incorrect API key provided, url: http://x/v1/responses' }), 'auth'],
    ['a 429 after retries', input({ failed: 'exceeded retry limit, last status: 429 Too Many Requests' }), 'rate_limit'],
    ['a 503', input({ failed: 'unexpected status 503 Service Unavailable' }), 'overloaded'],
    ['a 500', input({ failed: 'unexpected status 500 Internal Server Error' }), 'cli_error'],
    ['a usage limit', input({ failed: "You've hit your usage limit." }), 'rate_limit'],
    ['an unknown thread', input({}, { stderr: 'Error: thread/resume: thread/resume failed: no rollout found for thread id 01a2 (code -32600)\n' }), 'not_found'],
    ['a usage error', input({}, { exitCode: 2, stderr: "error: unexpected argument '--full-auto' found\n" }), 'cli_error'],
    ['a timeout', input({}, { exitCode: null, signal: 'SIGTERM', reason: 'timeout' }), 'timeout'],
    ['a cancel', input({}, { exitCode: null, signal: 'SIGTERM', reason: 'cancelled' }), 'cancelled'],
    ['an exit 0 without a turn', input({}, { exitCode: 0 }), 'cli_error'],
  ])('classifies %s', (_title, value, type) => {
    expect(classifyCodexOutcome(value, names)?.type).toBe(type);
  });

  it('names the session to resume in a timeout hint and the missing thread in not_found', () => {
    expect(classifyCodexOutcome(input({}, { exitCode: null, reason: 'timeout' }), names)?.hint).toContain(names.sessionId);
    expect(classifyCodexOutcome(input({}, { stderr: 'no rollout found for thread id 01a2-x' }), names)?.message).toContain('01a2-x');
  });

  it.each([
    ['unexpected status 401 Unauthorized: x', 401],
    ['exceeded retry limit, last status: 429 Too Many Requests', 429],
    ['stream disconnected before completion', undefined],
  ])('reads the status in %j', (message, status) => {
    expect(statusIn(message)).toBe(status);
  });
});
