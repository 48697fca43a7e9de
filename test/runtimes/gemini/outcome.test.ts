import { describe, expect, it } from 'vitest';
import { createGeminiState, type GeminiState } from '../../../src/runner/gemini/events.js';
import { classifyGeminiOutcome, statusFromExit, statusInMessage, type GeminiClassifyInput } from '../../../src/runner/gemini/outcome.js';

const names = { agent: 'gm', cli: 'Gemini CLI', timeoutSeconds: 60, sessionId: '11111111-2222-4333-8444-555555555555' };
const apiError = (message: string) => ({ type: 'result', status: 'error', error: { type: 'unknown', message } });

function input(state: Partial<GeminiState>, rest: Partial<GeminiClassifyInput> = {}): GeminiClassifyInput {
  return { state: { ...createGeminiState(), ...state }, exitCode: 1, signal: null, stderr: '', costUsd: 0, ...rest };
}

describe('classifyGeminiOutcome', () => {
  it.each<[string, GeminiClassifyInput, string | undefined]>([
    ['a success', input({ result: { status: 'success' } }, { exitCode: 0 }), undefined],
    ['a success over budget', input({ result: { status: 'success' } }, { exitCode: 0, costUsd: 1, maxBudgetUsd: 0.5 }), 'budget'],
    ['a 401 (exit 145)', input({ result: apiError('[API Error: {"error":{"code":401,"message":"API key not valid"}}]') }, { exitCode: 145 }), 'auth'],
    ['a 429 (exit 173)', input({ result: apiError('[API Error: Resource has been exhausted]') }, { exitCode: 173 }), 'rate_limit'],
    ['a 503 (exit 247)', input({ result: apiError('[API Error: overloaded]') }, { exitCode: 247 }), 'overloaded'],
    ['a 403 seen only in the message', input({ result: apiError('[API Error: {"error":{"code":403,"message":"denied"}}]') }, { exitCode: 1 }), 'auth'],
    ['no auth configured (exit 41)', input({}, { exitCode: 41, stderr: 'Invalid auth method selected.\n' }), 'auth'],
    ['an unknown session (exit 42)', input({}, { exitCode: 42, stderr: 'Error resuming session: Invalid session identifier "x".\n' }), 'not_found'],
    ['another input error (exit 42)', input({}, { exitCode: 42, stderr: 'No input provided via stdin.\n' }), 'cli_error'],
    ['the session turn limit (exit 53)', input({ result: { status: 'error', error: { type: 'FatalTurnLimitedError', message: 'Reached max session turns' } } }, { exitCode: 53 }), 'max_turns'],
    ['an untrusted folder (exit 55)', input({}, { exitCode: 55 }), 'permission'],
    ['an unreachable API', input({ result: apiError('[API Error: exception TypeError: fetch failed sending request]') }, { exitCode: 1 }), 'cli_error'],
    ['a timeout', input({}, { exitCode: null, signal: 'SIGTERM', reason: 'timeout' }), 'timeout'],
    ['Ctrl-C (exit 130)', input({}, { exitCode: 130 }), 'cancelled'],
  ])('classifies %s', (_title, value, type) => {
    expect(classifyGeminiOutcome(value, names)?.type).toBe(type);
  });

  it.each([
    [145, 401],
    [173, 429],
    [244, 500],
    [1, undefined],
    [53, undefined],
  ])('maps exit code %i to HTTP status %s', (exitCode, status) => {
    expect(statusFromExit(exitCode)).toBe(status);
  });

  it('reads the status inside an API error message', () => {
    expect(statusInMessage('[API Error: {"error":{"code":401,"message":"x","status":"UNAUTHENTICATED"}}]')).toBe(401);
    expect(statusInMessage('[API Error: quota]')).toBeUndefined();
  });
});
