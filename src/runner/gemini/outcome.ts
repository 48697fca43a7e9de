// Gemini CLI run → ok or one failure class. Pure and table-tested. Facts (runtimes-notes.md): an API error
// ends with `result {status:"error"}` and exit code = HTTP status mod 256 (401 → 145, 429 → 173); fatal
// errors have their own codes (41 auth config, 42 input such as an unknown --resume id, 44 sandbox,
// 52 config, 53 session turn limit, 54 tool execution, 55 untrusted folder, 130 cancelled).
import type { RunFailure } from '../adapter.js';
import { finishedFailure, type ExitFacts } from '../runtime-outcome.js';
import { apiFailure, cancelledFailure, cliFailure, lastLine, timeoutFailure, type FailureNames } from '../runtime-support.js';
import type { GeminiState } from './events.js';

/** What the classification looks at. */
export interface GeminiClassifyInput extends ExitFacts {
  state: GeminiState;
}

const NOISE = [/^Warning: 256-color support/, /^Ripgrep is not available/, /^\[STARTUP\]/, /^Full report available at/, /^\}$/, /^[a-zA-Z]+: .*,$/];
const AUTH_HINT = 'GEMINI_API_KEY (or a Google login: run `gemini` once in a terminal), and security.auth.selectedType in ~/.gemini/settings.json when GOOGLE_GEMINI_BASE_URL is set';

// The HTTP status behind an exit code of 144..255 (Gemini exits with the status mod 256).
export function statusFromExit(exitCode: number | null): number | undefined {
  return exitCode !== null && exitCode >= 144 && exitCode <= 255 && exitCode + 256 <= 599 ? exitCode + 256 : undefined;
}

// The HTTP status inside an "[API Error: …]" message ({"error":{"code":401…}} or "status 429").
export function statusInMessage(message: string): number | undefined {
  const m = /"code"\s*:\s*(\d{3})/.exec(message) ?? /\b(?:status|code)[ :]*(\d{3})\b/i.exec(message);
  return m ? Number(m[1]) : undefined;
}

// Decides whether the run succeeded and, if not, why; undefined means success.
export function classifyGeminiOutcome(input: GeminiClassifyInput, names: FailureNames): RunFailure | undefined {
  const { state, reason } = input;
  const status = state.result?.status;
  if (status === 'success' && (reason !== undefined || input.exitCode === 0)) return finishedFailure(input, names);
  if (reason === 'timeout') return timeoutFailure(names);
  if (reason === 'cancelled' || input.exitCode === 130) return cancelledFailure(names);
  const error = state.result?.error as { message?: unknown } | undefined;
  const detail = typeof error?.message === 'string' ? error.message : lastLine(input.stderr, NOISE);
  const httpStatus = statusFromExit(input.exitCode) ?? (detail.includes('API Error') ? statusInMessage(detail) : undefined);
  const api = apiFailure(names, { status: httpStatus, detail, authHint: AUTH_HINT });
  if (api) return api;
  switch (input.exitCode) {
    case 41:
      return { type: 'auth', message: `Gemini CLI has no usable authentication for agent ${names.agent}: ${detail}`, hint: `Check ${AUTH_HINT}.` };
    case 42:
      if (/Error resuming session|Invalid session identifier/i.test(input.stderr)) {
        return {
          type: 'not_found',
          message: `Agent ${names.agent} has no Gemini session${names.sessionId ? ` ${names.sessionId}` : ''} to resume.`,
          hint: 'Start a new session (omit session_id). Gemini keeps sessions per project under ~/.gemini/tmp/<project>/chats of the user that ran them.',
        };
      }
      return cliFailure('Gemini CLI rejected its input', detail, 'See stderrTail.');
    case 53:
      return { type: 'max_turns', message: `Agent ${names.agent} reached its turn limit before finishing: ${detail}`, hint: `Raise the agent's max_turns or split the task.${names.sessionId ? ` Resume with session_id "${names.sessionId}".` : ''}` };
    case 44:
    case 55:
      return { type: 'permission', message: `Gemini CLI refused to run for agent ${names.agent}: ${detail}`, hint: 'Check the sandbox settings in ~/.gemini/settings.json, and that the agent directory is trusted.' };
  }
  if (input.signal !== null) return cliFailure(`gemini was killed by ${input.signal}`, detail, 'See stderrTail.');
  if (/fetch failed|ECONNREFUSED|ENOTFOUND/i.test(detail)) {
    return { type: 'cli_error', message: `Agent ${names.agent} could not reach the model API: ${detail}`, hint: 'Check the network, proxies and GOOGLE_GEMINI_BASE_URL.' };
  }
  const what = input.exitCode === 0 ? 'gemini ended without a final result' : `gemini exited with code ${input.exitCode}`;
  return cliFailure(what, detail, 'See stderrTail; `gemini -p hi` in the agent directory checks the CLI and its settings.');
}
