// Gemini CLI command line for one run: `gemini -o stream-json --skip-trust [--approval-mode …] --prompt=<p>`.
// Pure and table-tested; the per-run settings file and temp dir are made by index.ts (settings.ts).
import { DispatchError } from '../../shared/errors.js';
import type { PermissionMode, RunRequest } from '../../shared/types.js';
import type { Invocation, InvocationContext } from '../adapter.js';
import { assertNoNul, assertNotFlag, assertUuid } from '../guard.js';
import { schemaInstruction } from '../runtime-support.js';

/** Largest prompt passed as an argument; above it the prompt goes through stdin (read when there is no -p). */
export const MAX_ARG_PROMPT_BYTES = 100 * 1024;

/** Gemini CLI approval modes. */
export type GeminiApprovalMode = 'default' | 'auto_edit' | 'yolo' | 'plan';

// Claude Code permission modes → Gemini approval modes. Headless Gemini offers the shell and write tools only
// in yolo (elsewhere a call to them fails as "not found"), and it has no sandbox by default, so only
// bypassPermissions unlocks the shell; acceptEdits and auto allow edits; the rest stay read-only.
export const GEMINI_APPROVAL: Record<PermissionMode, GeminiApprovalMode> = {
  default: 'default',
  dontAsk: 'default',
  manual: 'default',
  plan: 'plan',
  acceptEdits: 'auto_edit',
  auto: 'auto_edit',
  bypassPermissions: 'yolo',
};

// Builds argv (env comes from settings.ts). The prompt is one `--prompt=` argument so a leading "-" stays text.
export function buildGeminiArgs(request: RunRequest, ctx: InvocationContext): Invocation {
  const { agent } = request;
  const args = ['--output-format', 'stream-json', '--skip-trust'];
  const sessionId = sessionArgs(request, ctx, args);
  if (agent.model !== undefined) {
    assertNotFlag('model', agent.model);
    args.push('--model', agent.model);
  }
  if (agent.permissionMode !== undefined) {
    const mode = GEMINI_APPROVAL[agent.permissionMode];
    if (!mode) throw new DispatchError('INVALID_INPUT', `Unknown permission mode "${agent.permissionMode}".`, { hint: `Use one of: ${Object.keys(GEMINI_APPROVAL).join(', ')}.` });
    args.push('--approval-mode', mode);
  }
  // No structured-output option: the schema goes into the prompt and the answer is parsed (best effort).
  const prompt = request.jsonSchema === undefined ? ctx.prompt : ctx.prompt + schemaInstruction(request.jsonSchema);
  assertNoNul('task', prompt);
  const invocation: Invocation = { args, env: {}, sessionId };
  if (!ctx.remote && Buffer.byteLength(prompt, 'utf8') <= MAX_ARG_PROMPT_BYTES) args.push(`--prompt=${prompt}`);
  else invocation.stdin = prompt;
  return invocation;
}

// `--session-id` for a new session (Gemini accepts a chosen UUID), `--resume` for an old one.
function sessionArgs(request: RunRequest, ctx: InvocationContext, args: string[]): string {
  const { resumeSessionId, sessionId, forkSession } = request;
  if (forkSession) {
    throw new DispatchError('INVALID_INPUT', 'Gemini CLI cannot fork a session.', { hint: 'Resume the session itself (drop fork_session), or start a new one.' });
  }
  if (resumeSessionId === undefined) {
    const id = sessionId ?? ctx.newSessionId;
    assertUuid('session id', id);
    args.push('--session-id', id);
    return id;
  }
  // A UUID only: Gemini also reads "latest" and list indexes, which would resume some other session.
  assertUuid('session id to resume', resumeSessionId);
  if (sessionId !== undefined && sessionId !== resumeSessionId) {
    throw new DispatchError('INVALID_INPUT', 'A resumed session keeps its id.', { hint: 'Drop the new session id.' });
  }
  args.push('--resume', resumeSessionId);
  return resumeSessionId;
}
