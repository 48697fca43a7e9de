// Claude Code command line for one run. Pure and table-tested: request + prompt → argv, env, stdin.
import { DispatchError } from '../../shared/errors.js';
import { PERMISSION_MODES, type ApprovalRelay, type RunRequest } from '../../shared/types.js';
import { APPROVAL_SERVER, APPROVAL_TOKEN_VAR, APPROVAL_TOOL_ID } from '../../shared/approvals.js';
import type { Invocation, InvocationContext } from '../adapter.js';
import { assertNoNul, assertNotFlag, assertUuid } from '../guard.js';

/**
 * Largest prompt passed as an argument. Linux caps one argv string at 128 KiB (MAX_ARG_STRLEN); above this
 * the prompt goes through stdin, which `claude -p` reads as the whole prompt when no prompt argument is given.
 */
export const MAX_ARG_PROMPT_BYTES = 100 * 1024;

/** Largest JSON Schema accepted (it must fit in one argument). */
export const MAX_SCHEMA_BYTES = 100 * 1024;

// Builds `claude -p … --output-format stream-json --verbose … -- <prompt>`.
// The prompt comes after `--`, so a task starting with "-" is not read as an option.
export function buildClaudeArgs(request: RunRequest, ctx: InvocationContext): Invocation {
  const { agent } = request;
  const args = ['-p', '--output-format', 'stream-json', '--verbose'];
  const sessionId = sessionArgs(request, ctx, args);

  if (agent.model !== undefined) args.push('--model', checked('model', agent.model));
  if (agent.permissionMode !== undefined) {
    if (!(PERMISSION_MODES as readonly string[]).includes(agent.permissionMode)) {
      throw new DispatchError('INVALID_INPUT', `Unknown permission mode "${agent.permissionMode}".`, {
        hint: `Use one of: ${PERMISSION_MODES.join(', ')}.`,
      });
    }
    args.push('--permission-mode', agent.permissionMode);
  }
  // An empty list adds no flag: the CLI has no way to un-grant from argv, and granting nothing is its default.
  pushTools(args, '--allowedTools', 'allowed tool', agent.allowedTools);
  pushTools(args, '--disallowedTools', 'disallowed tool', agent.disallowedTools);
  if (agent.maxBudgetUsd !== undefined) {
    if (!Number.isFinite(agent.maxBudgetUsd)) throw invalid('max_budget_usd', 'a number');
    if (agent.maxBudgetUsd > 0) args.push('--max-budget-usd', String(agent.maxBudgetUsd));
  }
  if (agent.maxTurns !== undefined) {
    if (!Number.isInteger(agent.maxTurns) || agent.maxTurns < 1) throw invalid('max_turns', 'a whole number of at least 1');
    args.push('--max-turns', String(agent.maxTurns));
  }
  if (request.jsonSchema !== undefined) args.push('--json-schema', schemaArg(request.jsonSchema));
  // Approvals `ask`: one extra MCP server for this run only, next to the project's own (no --strict-mcp-config).
  // The socket and secret travel in the environment, so they never show on a command line.
  if (ctx.approvals) args.push('--permission-prompt-tool', APPROVAL_TOOL_ID, '--mcp-config', relayConfig(ctx.approvals));

  assertNoNul('task', ctx.prompt);
  const invocation: Invocation = { args, env: { ...(ctx.approvals?.env ?? {}) }, sessionId };
  if (!ctx.remote && Buffer.byteLength(ctx.prompt, 'utf8') <= MAX_ARG_PROMPT_BYTES) args.push('--', ctx.prompt);
  else invocation.stdin = ctx.prompt;
  return invocation;
}

// Adds --session-id / --resume / --fork-session and returns the id the run will have.
function sessionArgs(request: RunRequest, ctx: InvocationContext, args: string[]): string {
  const { resumeSessionId, sessionId, forkSession } = request;
  if (resumeSessionId === undefined) {
    if (forkSession) {
      throw new DispatchError('INVALID_INPUT', 'Forking needs the session to fork from.', {
        hint: 'Pass the session_id to fork together with fork_session.',
      });
    }
    const id = sessionId ?? ctx.newSessionId;
    assertUuid('session id', id);
    args.push('--session-id', id);
    return id;
  }
  assertUuid('session id to resume', resumeSessionId);
  args.push('--resume', resumeSessionId);
  if (!forkSession) {
    if (sessionId !== undefined && sessionId !== resumeSessionId) {
      throw new DispatchError('INVALID_INPUT', 'A resumed session keeps its id; a new session id needs fork_session.', {
        hint: 'Drop the new session id, or set fork_session to branch into it.',
      });
    }
    return resumeSessionId;
  }
  // The fork gets an id chosen here, so it is known even if the run is killed before the CLI reports it.
  const forkId = sessionId ?? ctx.newSessionId;
  assertUuid('session id', forkId);
  args.push('--fork-session', '--session-id', forkId);
  return forkId;
}

// The relay as one MCP server: the stdio command here, or (a run on an SSH host) the forwarded HTTP endpoint,
// whose bearer token Claude Code reads from its environment (`${VAR}` in headers), never from this argument.
export function relayConfig(relay: ApprovalRelay): string {
  const server = relay.url === undefined
    ? { type: 'stdio', command: relay.command, args: relay.args }
    : { type: 'http', url: relay.url, headers: { Authorization: `Bearer \${${APPROVAL_TOKEN_VAR}}` } };
  return JSON.stringify({ mcpServers: { [APPROVAL_SERVER]: server } });
}

function pushTools(args: string[], flag: string, field: string, tools: string[] | undefined): void {
  const names = (tools ?? []).map((name) => name.trim()).filter((name) => name !== '');
  if (names.length === 0) return;
  // One argument per tool: patterns like "Bash(npm run test:*)" contain spaces.
  for (const name of names) checked(field, name);
  args.push(flag, ...names);
}

function schemaArg(schema: Record<string, unknown>): string {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) throw invalid('JSON Schema', 'a JSON object');
  const text = JSON.stringify(schema);
  if (Buffer.byteLength(text, 'utf8') > MAX_SCHEMA_BYTES) {
    throw new DispatchError('INVALID_INPUT', `The JSON Schema is larger than ${MAX_SCHEMA_BYTES} bytes.`, {
      hint: 'Use a smaller schema.',
    });
  }
  assertNoNul('JSON Schema', text);
  return text;
}

function checked(field: string, value: string): string {
  assertNotFlag(field, value);
  return value;
}

function invalid(field: string, expected: string): DispatchError {
  return new DispatchError('INVALID_INPUT', `The ${field} must be ${expected}.`, { hint: `Fix the agent's ${field}.` });
}
