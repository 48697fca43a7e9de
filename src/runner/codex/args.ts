// Codex command line for one run: `codex exec [resume|fork <id>] --json … -- <prompt>`. Pure and table-tested;
// writing the --output-schema file is left to the caller through `schemaFile`.
import { DispatchError } from '../../shared/errors.js';
import type { PermissionMode, RunRequest } from '../../shared/types.js';
import type { Invocation, InvocationContext } from '../adapter.js';
import { assertNoNul, assertNotFlag, assertUuid } from '../guard.js';

/** Largest prompt passed as an argument; above it the prompt goes through stdin (`-`). */
export const MAX_ARG_PROMPT_BYTES = 100 * 1024;

/** Codex's sandbox policies (`sandbox_mode`). */
export type CodexSandbox = 'read-only' | 'workspace-write' | 'danger-full-access';

// Claude Code permission modes → Codex sandbox. `exec` never asks for approval: the sandbox is the only gate.
// Modes that would let Claude Code edit files map to workspace-write (sandboxed commands and edits in the
// project); bypassPermissions drops the sandbox; the rest stay read-only (commands run, writes fail).
export const CODEX_SANDBOX: Record<PermissionMode, CodexSandbox> = {
  default: 'read-only',
  plan: 'read-only',
  dontAsk: 'read-only',
  manual: 'read-only',
  acceptEdits: 'workspace-write',
  auto: 'workspace-write',
  bypassPermissions: 'danger-full-access',
};

// Config overrides on every run: no update check, no analytics (the user's config.toml is never written).
export const CODEX_QUIET_OVERRIDES = ['check_for_update_on_startup=false', 'analytics.enabled=false'];

// A TOML basic string for a `-c key=value` override.
export function tomlString(value: string): string {
  return JSON.stringify(value);
}

// Builds the invocation; `schemaFile` is where the caller will write request.jsonSchema (when there is one).
export function buildCodexArgs(request: RunRequest, ctx: InvocationContext, schemaFile?: string): Invocation {
  const { agent } = request;
  const args = ['exec'];
  const sessionId = sessionArgs(request, args);
  args.push('--json', '--skip-git-repo-check');
  for (const override of CODEX_QUIET_OVERRIDES) args.push('-c', override);
  if (agent.permissionMode !== undefined) {
    const sandbox = CODEX_SANDBOX[agent.permissionMode];
    if (!sandbox) throw new DispatchError('INVALID_INPUT', `Unknown permission mode "${agent.permissionMode}".`, { hint: `Use one of: ${Object.keys(CODEX_SANDBOX).join(', ')}.` });
    // `-s` exists on `exec` only; the config key works for resume and fork too.
    args.push('-c', `sandbox_mode=${tomlString(sandbox)}`);
  }
  if (agent.model !== undefined) {
    assertNotFlag('model', agent.model);
    args.push('-m', agent.model);
  }
  if (request.jsonSchema !== undefined) {
    if (!schemaFile) throw new Error('buildCodexArgs: a JSON Schema needs a schema file path');
    args.push('--output-schema', schemaFile);
  }
  assertNoNul('task', ctx.prompt);
  const invocation: Invocation = { args, env: {}, ...(sessionId ? { sessionId } : {}) };
  if (!ctx.remote && Buffer.byteLength(ctx.prompt, 'utf8') <= MAX_ARG_PROMPT_BYTES) args.push('--', ctx.prompt);
  else {
    args.push('-');
    invocation.stdin = ctx.prompt;
  }
  return invocation;
}

// `resume <id>` / `fork <id>`; returns the id the run is known to have before Codex reports one.
function sessionArgs(request: RunRequest, args: string[]): string | undefined {
  const { resumeSessionId, sessionId, forkSession } = request;
  if (resumeSessionId === undefined) {
    if (forkSession) throw new DispatchError('INVALID_INPUT', 'Forking needs the session to fork from.', { hint: 'Pass the session_id to fork together with fork_session.' });
    if (sessionId !== undefined) {
      throw new DispatchError('INVALID_INPUT', 'Codex chooses the id of a new session itself; it cannot start one with a given id.', {
        hint: 'Omit the session id: the result reports the one Codex assigned.',
      });
    }
    return undefined;
  }
  // A UUID only: Codex reads anything else as a thread *name* and, when none matches, silently starts a new thread.
  assertUuid('session id to resume', resumeSessionId);
  if (forkSession) {
    if (sessionId !== undefined) throw new DispatchError('INVALID_INPUT', 'Codex chooses the id of a forked session itself.', { hint: 'Omit the new session id.' });
    args.push('fork', resumeSessionId);
    return undefined;
  }
  if (sessionId !== undefined && sessionId !== resumeSessionId) {
    throw new DispatchError('INVALID_INPUT', 'A resumed session keeps its id; a new session id needs fork_session.', { hint: 'Drop the new session id, or set fork_session.' });
  }
  args.push('resume', resumeSessionId);
  return resumeSessionId;
}
