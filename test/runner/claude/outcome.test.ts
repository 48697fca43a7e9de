// Result shapes and stderr texts recorded from Claude Code 2.1.328 (claude-cli.md §3, §4, §6, §13, §14, §17).
import { describe, expect, it } from 'vitest';
import { classifyClaudeOutcome, type ClassifyInput } from '../../../src/runner/claude/outcome.js';
import type { ClaudeResult } from '../../../src/runner/claude/events.js';

const SID = '0a3a0000-1111-4222-8333-444455556666';
const ctx = { agent: 'infra', sessionId: SID, timeoutSeconds: 60, maxBudgetUsd: 0.002 };
const success: ClaudeResult = { subtype: 'success', is_error: false, result: 'Hi there', session_id: SID, api_error_status: null };
const apiError = (status: number | null, type: string | undefined, text: string): ClaudeResult => ({
  subtype: 'success', is_error: true, result: text, api_error_status: status, ...(type ? { api_error_type: type } : {}), terminal_reason: 'api_error',
});
const PLAN_STDERR = "Auto mode can't check actions in this session, so they did not run.\nError: auto mode could not check some actions Claude tried, so they did not run.\nExiting with code 1.";

const cases: [string, ClassifyInput, string | undefined][] = [
  ['a clean success', { result: success, exitCode: 0, signal: null, stderr: '' }, undefined],
  ['a success with denied tools (soft signal)', { result: { ...success, permission_denials: [{ tool_name: 'Bash' }] }, exitCode: 0, signal: null, stderr: '' }, undefined],
  ['a success with an unknown-model warning on stderr', { result: success, exitCode: 0, signal: null, stderr: '[claude-code:unrecognized_model] {"model":"x"}' }, undefined],
  ['a success that arrived before the timeout', { result: success, exitCode: 143, signal: null, stderr: '', reason: 'timeout' }, undefined],
  ['a success after which we stopped a lingering CLI', { result: success, exitCode: null, signal: 'SIGTERM', stderr: '', reason: 'finished' }, undefined],
  ['a timeout (SIGTERM, exit 143)', { exitCode: 143, signal: null, stderr: '', reason: 'timeout' }, 'timeout'],
  ['a timeout that needed SIGKILL', { exitCode: null, signal: 'SIGKILL', stderr: '', reason: 'timeout' }, 'timeout'],
  ['a cancel', { exitCode: null, signal: 'SIGTERM', stderr: '', reason: 'cancelled' }, 'cancelled'],
  ['max turns', { result: { subtype: 'error_max_turns', is_error: true, errors: ['Reached maximum number of turns (3)'], terminal_reason: 'max_turns' }, exitCode: 1, signal: null, stderr: '' }, 'max_turns'],
  ['the budget cap', { result: { subtype: 'error_max_budget_usd', is_error: true, errors: ['Reached maximum budget ($0.002)'], terminal_reason: 'budget_exhausted' }, exitCode: 1, signal: null, stderr: '' }, 'budget'],
  ['structured output retries', { result: { subtype: 'error_max_structured_output_retries', is_error: true, errors: ['Failed to provide valid structured output after 5 attempts'] }, exitCode: 1, signal: null, stderr: '' }, 'cli_error'],
  ['a 401', { result: apiError(401, 'authentication_error', 'Invalid API key · Fix external API key'), exitCode: 1, signal: null, stderr: '' }, 'auth'],
  ['not logged in', { result: apiError(null, undefined, 'Not logged in · Please run /login'), exitCode: 1, signal: null, stderr: '' }, 'auth'],
  ['a 429', { result: apiError(429, undefined, 'API Error: Request rejected (429) · fake 429'), exitCode: 1, signal: null, stderr: '' }, 'rate_limit'],
  ['a 529', { result: apiError(529, 'overloaded_error', 'API Error: Repeated 529 Overloaded errors.'), exitCode: 1, signal: null, stderr: '' }, 'overloaded'],
  ['a 500', { result: apiError(500, 'api_error', 'API Error: 500 fake 500.'), exitCode: 1, signal: null, stderr: '' }, 'cli_error'],
  ['an API timeout', { result: apiError(null, undefined, 'Request timed out.'), exitCode: 1, signal: null, stderr: '' }, 'cli_error'],
  ['plan mode stopping on Bash', { result: success, exitCode: 1, signal: null, stderr: PLAN_STDERR }, 'permission'],
  ['bypass refused as root', { exitCode: 1, signal: null, stderr: '--dangerously-skip-permissions cannot be used with root/sudo privileges for security reasons' }, 'permission'],
  ['an unknown session to resume', { exitCode: 1, signal: null, stderr: `No conversation found with session ID: ${SID}` }, 'not_found'],
  ['an unknown session to resume under stream-json', { result: { subtype: 'error_during_execution', is_error: true, errors: [`No conversation found with session ID: ${SID}`] }, exitCode: 1, signal: null, stderr: `No conversation found with session ID: ${SID}\n` }, 'not_found'],
  ['a session id in use', { exitCode: 1, signal: null, stderr: `Error: Session ID ${SID} is already in use.` }, 'cli_error'],
  ['an unknown flag', { exitCode: 1, signal: null, stderr: "error: unknown option '--unknown-flag'" }, 'cli_error'],
  ['an aborted tool run after SIGINT', { result: { subtype: 'error_during_execution', is_error: true, errors: ['[ede_diagnostic] result_type=user'] }, exitCode: 0, signal: null, stderr: '' }, 'cli_error'],
  ['exit 0 without a result (SIGINT while waiting)', { exitCode: 0, signal: null, stderr: '' }, 'cli_error'],
  ['a kill by someone else', { exitCode: null, signal: 'SIGKILL', stderr: '' }, 'cli_error'],
  ['a success with a non-zero exit and unknown stderr', { result: success, exitCode: 2, signal: null, stderr: 'boom' }, 'cli_error'],
];

describe('classifyClaudeOutcome', () => {
  it.each(cases)('classifies %s', (_title, input, expected) => {
    expect(classifyClaudeOutcome(input, ctx)?.type).toBe(expected);
  });

  it.each(cases.filter(([, , type]) => type !== undefined && type !== 'cli_error'))('gives %s a message and a hint', (_title, input) => {
    const failure = classifyClaudeOutcome(input, ctx);
    expect(failure?.message.length).toBeGreaterThan(10);
    expect(failure?.hint?.length).toBeGreaterThan(10);
  });

  it('tells how to resume after a timeout', () => {
    expect(classifyClaudeOutcome({ exitCode: 143, signal: null, stderr: '', reason: 'timeout' }, ctx)).toEqual({
      type: 'timeout',
      message: 'Agent infra did not finish within 60s and was stopped.',
      hint: expect.stringContaining(`session_id="${SID}"`),
    });
  });

  it('tells how to grant tools on a permission failure', () => {
    expect(classifyClaudeOutcome({ result: success, exitCode: 1, signal: null, stderr: PLAN_STDERR }, ctx)?.hint).toContain('agent-dispatch update infra --allowed-tools');
  });

  it('quotes the API text and the cap in budget and auth messages', () => {
    expect(classifyClaudeOutcome(cases[9]![1], ctx)?.message).toContain('$0.002');
    expect(classifyClaudeOutcome(cases[11]![1], ctx)?.message).toContain('Invalid API key');
  });

  it('quotes the last stderr line of an unknown failure', () => {
    expect(classifyClaudeOutcome({ exitCode: 3, signal: null, stderr: 'first\nError: the real reason\n\n' }, ctx)?.message).toBe('claude exited with code 3: Error: the real reason');
  });
});
