// Claude Code run → ok or one failure class with a message and an actionable hint. Pure and table-tested.
// Facts from claude-cli.md: API errors keep subtype "success" but set is_error + api_error_status (§4.3);
// denied tools do not fail a run (§3). Plan mode + Bash exits 1 with an auto-mode text on stderr under
// `--output-format json` (§14), but exits 0 with the denial listed under stream-json, which is what we run.
import type { RunFailure, StopReason } from '../adapter.js';
import type { ClaudeResult } from './events.js';

/** What the classification looks at. */
export interface ClassifyInput {
  result?: ClaudeResult;
  exitCode: number | null;
  signal: string | null;
  stderr: string;
  reason?: StopReason;
}

/** Names and numbers that make messages and hints concrete. */
export interface FailureContext {
  agent: string;
  sessionId?: string;
  timeoutSeconds: number;
  maxBudgetUsd?: number;
}

// Decides whether the run succeeded and, if not, why; undefined means success.
export function classifyClaudeOutcome(input: ClassifyInput, ctx: FailureContext): RunFailure | undefined {
  const { result, reason } = input;
  const succeeded = result !== undefined && result.is_error !== true;
  // A complete answer that arrived before we stopped the process is kept, whatever the exit code.
  if (succeeded && reason !== undefined) return undefined;
  if (reason === 'timeout') return timeout(ctx);
  if (reason === 'cancelled') return cancelled(ctx);
  if (result !== undefined && result.is_error === true) return resultFailure(result, ctx);
  const stderrFailure = fromStderr(input.stderr, ctx);
  if (succeeded) {
    if (input.exitCode === 0) return undefined;
    return stderrFailure ?? cliError(`claude exited with code ${input.exitCode ?? input.signal} after its answer`, input.stderr);
  }
  if (stderrFailure) return stderrFailure;
  if (input.signal !== null) return cliError(`claude was killed by ${input.signal}`, input.stderr);
  if (input.exitCode === 0) return cliError('claude ended without a final result', input.stderr);
  return cliError(`claude exited with code ${input.exitCode}`, input.stderr);
}

function resultFailure(result: ClaudeResult, ctx: FailureContext): RunFailure {
  const detail = (result.errors ?? []).join('; ') || result.result || result.subtype || 'unknown error';
  const resume = resumeText(ctx);
  switch (result.subtype) {
    case 'error_max_turns':
      return {
        type: 'max_turns',
        message: `Agent ${ctx.agent} ran out of turns before finishing: ${detail}`,
        hint: `Raise the agent's max_turns or split the task.${resume}`,
      };
    case 'error_max_budget_usd':
      return {
        type: 'budget',
        message: `Agent ${ctx.agent} reached its budget cap${ctx.maxBudgetUsd ? ` of $${ctx.maxBudgetUsd}` : ''} and was stopped; the answer is incomplete.`,
        hint: `Raise the cap (\`agent-dispatch update ${ctx.agent} --max-budget-usd 2\`), use a cheaper model, or split the task.${resume}`,
      };
    case 'error_max_structured_output_retries':
      return {
        type: 'cli_error',
        message: `Agent ${ctx.agent} did not produce output matching the JSON Schema: ${detail}`,
        hint: 'Simplify the schema or say in the task what each field should hold.',
      };
  }
  // Start-up failures (unknown session to resume…) come as error_during_execution with the stderr text in errors[].
  return apiFailure(result, detail, ctx) ?? fromStderr(detail, ctx) ?? { type: 'cli_error', message: `Agent ${ctx.agent} failed: ${detail}` };
}

// API errors arrive as is_error results with api_error_status / api_error_type and the CLI's text in `result`.
function apiFailure(result: ClaudeResult, detail: string, ctx: FailureContext): RunFailure | undefined {
  const status = typeof result.api_error_status === 'number' ? result.api_error_status : undefined;
  const kind = result.api_error_type ?? '';
  if (status === 401 || status === 403 || /authentication_error|permission_error/.test(kind) || /not logged in|invalid api key|please run \/login/i.test(detail)) {
    return {
      type: 'auth',
      message: `Agent ${ctx.agent} could not authenticate with the model API: ${detail}`,
      hint: 'Check the credentials the agent gets: ANTHROPIC_API_KEY (or your Claude login, `claude` then /login in a terminal) in the environment agent-dispatch runs with, or in the agent\'s env.',
    };
  }
  if (status === 429 || kind === 'rate_limit_error') {
    return {
      type: 'rate_limit',
      message: `The model API rate-limited agent ${ctx.agent}: ${detail}`,
      hint: `Wait a minute and retry, or run fewer dispatches at once.${resumeText(ctx)}`,
    };
  }
  if (status === 529 || kind === 'overloaded_error') {
    return {
      type: 'overloaded',
      message: `The model API is overloaded: ${detail}`,
      hint: `Usually temporary: retry in a moment.${resumeText(ctx)}`,
    };
  }
  if (status !== undefined || result.terminal_reason === 'api_error') {
    return {
      type: 'cli_error',
      message: `Agent ${ctx.agent} hit a model API error${status ? ` (${status})` : ''}: ${detail}`,
      hint: 'Retry later; if it persists, check ANTHROPIC_BASE_URL, proxies and API_TIMEOUT_MS in the environment.',
    };
  }
  return undefined;
}

// Failures the CLI reports only on stderr (nothing or no result on stdout).
function fromStderr(stderr: string, ctx: FailureContext): RunFailure | undefined {
  const grant = `\`agent-dispatch update ${ctx.agent} --allowed-tools Bash,Read\` or \`--permission-mode acceptEdits\``;
  if (/cannot be used with root\/sudo privileges/.test(stderr)) {
    return {
      type: 'permission',
      message: `Claude Code refuses permission mode bypassPermissions when run as root, so agent ${ctx.agent} did not start.`,
      hint: `Grant tools with ${grant}; only inside a container or sandbox, set IS_SANDBOX=1 in the agent's env instead.`,
    };
  }
  if (/Auto mode can't check actions|auto mode could not check some actions/i.test(stderr)) {
    return {
      type: 'permission',
      message: `Agent ${ctx.agent} tried actions its permission mode cannot approve (plan mode), so the CLI stopped: ${lastLine(stderr)}`,
      hint: `Grant the tools it needs with ${grant}.`,
    };
  }
  const missing = /No conversation found with session ID: ?(\S*)/.exec(stderr);
  if (missing) {
    return {
      type: 'not_found',
      message: `Agent ${ctx.agent} has no session ${missing[1] || ''} to resume.`.replace('  ', ' '),
      hint: 'Start a new session (omit session_id). Sessions live in the HOME of the user that ran them, per project directory.',
    };
  }
  if (/Session ID .* is already in use/.test(stderr)) {
    return {
      type: 'cli_error',
      message: `The session id for agent ${ctx.agent} is already taken: ${lastLine(stderr)}`,
      hint: 'Resume that session with its session_id, or omit the id to start a fresh one.',
    };
  }
  return undefined;
}

function timeout(ctx: FailureContext): RunFailure {
  return {
    type: 'timeout',
    message: `Agent ${ctx.agent} did not finish within ${ctx.timeoutSeconds}s and was stopped.`,
    hint: ctx.sessionId
      ? `Resume the partial work: dispatch_session(agent="${ctx.agent}", task="Continue where you left off", session_id="${ctx.sessionId}"); or retry with a larger timeout_seconds (up to 7200), or use dispatch_async.`
      : 'Retry with a larger timeout_seconds (up to 7200), or use dispatch_async.',
  };
}

function cancelled(ctx: FailureContext): RunFailure {
  return {
    type: 'cancelled',
    message: `The run of agent ${ctx.agent} was cancelled.`,
    ...(ctx.sessionId ? { hint: `The partial session can be resumed with session_id "${ctx.sessionId}".` } : {}),
  };
}

function cliError(what: string, stderr: string): RunFailure {
  const line = lastLine(stderr);
  return {
    type: 'cli_error',
    message: line ? `${what}: ${line}` : `${what}.`,
    hint: 'See stderrTail for details; `claude --version` in the agent directory checks the CLI itself.',
  };
}

function resumeText(ctx: FailureContext): string {
  return ctx.sessionId ? ` The partial session can be resumed with session_id "${ctx.sessionId}".` : '';
}

// The last non-empty stderr line, short enough for a message.
function lastLine(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const line = lines[lines.length - 1] ?? '';
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}
