// OpenCode command line for one run: `opencode run --format json [-m provider/model] [--session id]`, prompt on
// stdin. Pure and table-tested. The prompt never goes in argv: `opencode run` re-quotes message arguments
// that contain spaces (the model would see `"fix it"` with the quotes), while stdin reaches it verbatim.
import { DispatchError } from '../../shared/errors.js';
import type { PermissionMode, RunRequest } from '../../shared/types.js';
import type { Invocation, InvocationContext } from '../adapter.js';
import { assertNoNul, assertNotFlag } from '../guard.js';
import { schemaInstruction } from '../runtime-support.js';

/** OpenCode permission levels. `opencode run` auto-rejects `ask` and then ends the whole run; `deny` removes the tool. */
export type OpenCodePermission = 'allow' | 'ask' | 'deny';

/** OpenCode session ids as `run --format json` prints them. */
export const OPENCODE_SESSION_ID = /^ses_[A-Za-z0-9]{8,64}$/;

// Claude Code permission modes → OpenCode permissions. OpenCode has no sandbox: bash is allowed only under
// bypassPermissions (which also passes --auto); edit-capable modes allow edits; the rest allow neither.
// Refused tools are `deny` (not offered, so the model carries on without them), not `ask` (which ends the run).
export const OPENCODE_PERMISSIONS: Record<PermissionMode, Record<'edit' | 'bash' | 'webfetch', OpenCodePermission>> = {
  default: { edit: 'deny', bash: 'deny', webfetch: 'deny' },
  dontAsk: { edit: 'deny', bash: 'deny', webfetch: 'deny' },
  manual: { edit: 'deny', bash: 'deny', webfetch: 'deny' },
  plan: { edit: 'deny', bash: 'deny', webfetch: 'deny' },
  acceptEdits: { edit: 'allow', bash: 'deny', webfetch: 'deny' },
  auto: { edit: 'allow', bash: 'deny', webfetch: 'deny' },
  bypassPermissions: { edit: 'allow', bash: 'allow', webfetch: 'allow' },
};

/** Variables that keep OpenCode from updating itself, refreshing its model catalog or sharing sessions. */
export const OPENCODE_QUIET_ENV: Readonly<Record<string, string>> = {
  OPENCODE_DISABLE_AUTOUPDATE: '1',
  OPENCODE_DISABLE_MODELS_FETCH: '1',
  OPENCODE_DISABLE_SHARE: '1',
};

// Builds argv, the config overlay (merged into OPENCODE_CONFIG_CONTENT by index.ts) and stdin.
export function buildOpenCodeArgs(request: RunRequest, ctx: InvocationContext): { invocation: Invocation; config: Record<string, unknown> } {
  const { agent } = request;
  const args = ['run', '--format', 'json'];
  const sessionId = sessionArgs(request, args);
  if (agent.model !== undefined) {
    assertNotFlag('model', agent.model);
    if (!/^[^/\s]+\/\S+$/.test(agent.model)) {
      throw new DispatchError('INVALID_INPUT', `OpenCode models are named provider/model; "${agent.model}" has no provider.`, {
        hint: 'Set the agent\'s model to e.g. anthropic/claude-sonnet-4-5 or openai/gpt-5 (see `opencode models`).',
      });
    }
    args.push('--model', agent.model);
  }
  const config: Record<string, unknown> = { autoupdate: false, share: 'disabled' };
  if (agent.permissionMode !== undefined) {
    const permission = OPENCODE_PERMISSIONS[agent.permissionMode];
    if (!permission) throw new DispatchError('INVALID_INPUT', `Unknown permission mode "${agent.permissionMode}".`, { hint: `Use one of: ${Object.keys(OPENCODE_PERMISSIONS).join(', ')}.` });
    config.permission = { ...permission };
    if (agent.permissionMode === 'bypassPermissions') args.push('--auto');
  }
  const prompt = request.jsonSchema === undefined ? ctx.prompt : ctx.prompt + schemaInstruction(request.jsonSchema);
  assertNoNul('task', prompt);
  return { invocation: { args, env: { ...OPENCODE_QUIET_ENV }, stdin: prompt, ...(sessionId ? { sessionId } : {}) }, config };
}

function sessionArgs(request: RunRequest, args: string[]): string | undefined {
  const { resumeSessionId, sessionId, forkSession } = request;
  if (resumeSessionId === undefined) {
    if (forkSession) throw new DispatchError('INVALID_INPUT', 'Forking needs the session to fork from.', { hint: 'Pass the session_id to fork together with fork_session.' });
    if (sessionId !== undefined) {
      throw new DispatchError('INVALID_INPUT', 'OpenCode chooses the id of a new session itself.', { hint: 'Omit the session id: the result reports the one OpenCode assigned.' });
    }
    return undefined;
  }
  if (!OPENCODE_SESSION_ID.test(resumeSessionId)) {
    throw new DispatchError('INVALID_INPUT', `The session id to resume "${resumeSessionId.slice(0, 80)}" is not an OpenCode session id.`, {
      hint: 'Pass the session_id exactly as an earlier result of this agent returned it (ses_…).',
    });
  }
  args.push('--session', resumeSessionId);
  if (forkSession) {
    if (sessionId !== undefined) throw new DispatchError('INVALID_INPUT', 'OpenCode chooses the id of a forked session itself.', { hint: 'Omit the new session id.' });
    args.push('--fork');
    return undefined;
  }
  if (sessionId !== undefined && sessionId !== resumeSessionId) {
    throw new DispatchError('INVALID_INPUT', 'A resumed session keeps its id; a new session id needs fork_session.', { hint: 'Drop the new session id, or set fork_session.' });
  }
  return resumeSessionId;
}
