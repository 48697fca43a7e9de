// Codex run → ok or one failure class. Pure and table-tested. Facts (runtimes-notes.md): API failures end in
// `turn.failed` + exit 1 with the HTTP status in the message ("unexpected status 401 Unauthorized: …",
// "exceeded retry limit, last status: 429 Too Many Requests"); an unknown thread id exits 1 with
// "no rollout found for thread id" on stderr; usage errors exit 2.
import type { RunFailure } from '../adapter.js';
import { finishedFailure, type ExitFacts } from '../runtime-outcome.js';
import { apiFailure, cancelledFailure, cliFailure, lastLine, timeoutFailure, type FailureNames } from '../runtime-support.js';
import type { CodexState } from './events.js';

/** What the classification looks at. */
export interface CodexClassifyInput extends ExitFacts {
  state: CodexState;
}

const NOISE = [/^Reading additional input from stdin/, /^WARNING: proceeding, even though we could not create PATH aliases/];
const AUTH_HINT = 'the API key named by its model provider\'s env_key (OPENAI_API_KEY / CODEX_API_KEY for OpenAI), or `codex login` in a terminal';

// The HTTP status named in a Codex error message, if any.
export function statusIn(message: string): number | undefined {
  const m = /\b(?:status|status:)\s*(\d{3})\b/i.exec(message) ?? /\b(401|403|404|429|500|502|503|529)\b/.exec(message);
  return m ? Number(m[1]) : undefined;
}

// Decides whether the run succeeded and, if not, why; undefined means success.
export function classifyCodexOutcome(input: CodexClassifyInput, names: FailureNames): RunFailure | undefined {
  const { state, reason } = input;
  if (state.completed && !state.failed && (reason !== undefined || input.exitCode === 0)) return finishedFailure(input, names);
  if (reason === 'timeout') return timeoutFailure(names);
  if (reason === 'cancelled') return cancelledFailure(names);
  const message = state.failed ?? state.errors[state.errors.length - 1];
  if (message !== undefined) {
    const api = apiFailure(names, { status: statusIn(message), detail: message, authHint: AUTH_HINT });
    if (api) return api;
    if (/usage limit|quota/i.test(message)) {
      return { type: 'rate_limit', message: `Agent ${names.agent} hit a usage limit: ${message}`, hint: 'Wait until the limit resets, or use another account or model.' };
    }
    return { type: 'cli_error', message: `Agent ${names.agent} failed: ${message}`, hint: 'See stderrTail; `codex exec "hi"` in the agent directory checks the CLI and its config.' };
  }
  const missing = /no rollout found for thread id\s*(\S*)/.exec(input.stderr);
  if (missing) {
    return {
      type: 'not_found',
      message: `Agent ${names.agent} has no Codex session${missing[1] ? ` ${missing[1]}` : ''} to resume.`,
      hint: 'Start a new session (omit session_id). Codex keeps sessions under $CODEX_HOME/sessions (default ~/.codex) of the user that ran them.',
    };
  }
  const line = lastLine(input.stderr, NOISE);
  if (input.exitCode === 2) return cliFailure('codex rejected its command line', line, 'The installed Codex may be too old or too new for agent-dispatch; `codex --version` shows it (tested: 0.169.0).');
  if (input.signal !== null) return cliFailure(`codex was killed by ${input.signal}`, line, 'See stderrTail.');
  const what = input.exitCode === 0 ? 'codex ended without finishing its turn' : `codex exited with code ${input.exitCode}`;
  return cliFailure(what, line, 'See stderrTail; `codex exec "hi"` in the agent directory checks the CLI and its config.');
}
