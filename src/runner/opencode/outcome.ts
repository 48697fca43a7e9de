// OpenCode run → ok or one failure class. Pure and table-tested. Facts (runtimes-notes.md): API failures are an
// `error` line {name:"APIError", data:{statusCode, message}} and exit 1; an unknown session prints
// "Session not found" on stderr and exits 1; there is no final summary line, a step ending "stop" is the end.
import type { RunFailure } from '../adapter.js';
import { finishedFailure, type ExitFacts } from '../runtime-outcome.js';
import { apiFailure, budgetFailure, cancelledFailure, cliFailure, lastLine, timeoutFailure, type FailureNames } from '../runtime-support.js';
import type { OpenCodeState } from './events.js';

/** What the classification looks at. */
export interface OpenCodeClassifyInput extends ExitFacts {
  state: OpenCodeState;
  /** The adapter stopped the run because its running cost passed the cap. */
  budgetStop: boolean;
}

const AUTH_HINT = 'the API key of its provider (e.g. OPENAI_API_KEY, ANTHROPIC_API_KEY, or `opencode auth login`), and the provider settings in opencode.json';
// eslint-disable-next-line no-control-regex -- OpenCode colours its stderr lines
const ANSI = /\u001b\[[0-9;]*m/g;

// Decides whether the run succeeded and, if not, why; undefined means success.
export function classifyOpenCodeOutcome(input: OpenCodeClassifyInput, names: FailureNames): RunFailure | undefined {
  const { state, reason } = input;
  if (input.budgetStop) return budgetFailure(names, input.costUsd, input.maxBudgetUsd ?? 0, true);
  if (state.stopped && !state.error && (reason !== undefined || input.exitCode === 0)) return finishedFailure(input, names);
  if (reason === 'timeout') return timeoutFailure(names);
  if (reason === 'cancelled') return cancelledFailure(names);
  const stderr = input.stderr.replace(ANSI, '');
  if (state.error) {
    const { name, message, status } = state.error;
    const api = apiFailure(names, { status, detail: message, authHint: AUTH_HINT });
    if (api) return api;
    if (/ProviderModelNotFound|ModelNotFound/i.test(name)) {
      return { type: 'cli_error', message: `OpenCode does not know the model of agent ${names.agent}: ${message}`, hint: 'Set the agent\'s model to a provider/model that `opencode models` lists.' };
    }
    if (/ProviderAuth|Auth/i.test(name)) return { type: 'auth', message: `Agent ${names.agent} could not authenticate: ${message}`, hint: `Check ${AUTH_HINT}.` };
    return { type: 'cli_error', message: `Agent ${names.agent} failed (${name}): ${message}`, hint: 'See stderrTail; `opencode run hi` in the agent directory checks the CLI and its config.' };
  }
  if (input.exitCode === 0 && !state.stopped && state.denials.length > 0) {
    const tools = [...new Set(state.denials.map((d) => d.toolName))].join(', ');
    return {
      type: 'permission',
      message: `OpenCode refused agent ${names.agent} the tool ${tools} and ended the run without an answer.`,
      hint: `Set the agent's permission_mode (bypassPermissions allows bash), or allow the tool in its opencode.json "permission" section.`,
    };
  }
  if (/Session not found/i.test(stderr)) {
    return {
      type: 'not_found',
      message: `Agent ${names.agent} has no OpenCode session${names.sessionId ? ` ${names.sessionId}` : ''} to resume.`,
      hint: 'Start a new session (omit session_id). OpenCode keeps sessions in ~/.local/share/opencode of the user that ran them.',
    };
  }
  const line = lastLine(stderr);
  if (input.signal !== null) return cliFailure(`opencode was killed by ${input.signal}`, line, 'See stderrTail.');
  const what = input.exitCode === 0 ? 'opencode ended without a final answer' : `opencode exited with code ${input.exitCode}`;
  return cliFailure(what, line, 'See stderrTail; `opencode run hi` in the agent directory checks the CLI and its config.');
}
