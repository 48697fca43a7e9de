// The environment a dispatched agent starts with. Pure: the parent environment is passed in.
import { APPROVAL_SECRET_VAR, APPROVAL_SOCKET_VAR, APPROVAL_TOKEN_VAR } from '../shared/approvals.js';

/** Nesting depth of the current process in a dispatch chain (0 or unset at the top). */
export const DEPTH_VAR = 'AGENT_DISPATCH_DEPTH';
/** Comma-separated agent names from the top of the chain down to the current process. */
export const CHAIN_VAR = 'AGENT_DISPATCH_CHAIN';
/** The job whose agent this process runs in: the agent's own dispatches share that job's one slot. */
export const JOB_VAR = 'AGENT_DISPATCH_JOB';

/**
 * Variables a Claude Code session sets for the processes it starts (tools, MCP servers: the dispatching
 * server is one of them). Passed on, they would make the agent's CLI attach itself to the caller's session:
 * report it as its parent (`CLAUDE_CODE_SESSION_ID`, `..._LAUNCHED_BY_SESSION_IDS`, `CLAUDE_CODE_CHILD_SESSION`),
 * reuse its messaging socket, entrypoint, effort and project dir. The list follows what Claude Code 2.1.328
 * itself removes when it starts a fresh session, plus the markers listed in claude-cli.md §9.2 and §10.
 */
export const NESTED_SESSION_VARS: readonly string[] = [
  'CLAUDECODE',
  'CLAUDE_CODE_ENTRYPOINT',
  'CLAUDE_CODE_SESSION_ID',
  'CLAUDE_CODE_CHILD_SESSION',
  'CLAUDE_CODE_SESSION_ATTENDED',
  'CLAUDE_CODE_LAUNCHED_BY_SESSION_IDS',
  'CLAUDE_CODE_CHILD_NOTES_DIR',
  'CLAUDE_CODE_BRIDGE_SESSION_ID',
  'CLAUDE_CODE_MESSAGING_SOCKET',
  'CLAUDE_CODE_MESSAGING_TOKEN',
  'CLAUDE_CODE_EXECPATH',
  'CLAUDE_CODE_INVOKED_SKILLS',
  'CLAUDE_PROJECT_DIR',
  'CLAUDE_PID',
  'CLAUDE_EFFORT',
  'AI_AGENT',
];
// Also never passed on: the approval relay's socket, secret and token of the run this process belongs to. An agent's own
// dispatches would otherwise inherit them and could raise requests in the name of the run above.
const NESTED_SET = new Set([...NESTED_SESSION_VARS, APPROVAL_SOCKET_VAR, APPROVAL_SECRET_VAR, APPROVAL_TOKEN_VAR]);

// Reads the dispatch depth of the current process; anything that is not a non-negative integer counts as 0.
export function readDepth(env: NodeJS.ProcessEnv): number {
  const raw = env[DEPTH_VAR]?.trim() ?? '';
  return /^\d{1,6}$/.test(raw) ? Number(raw) : 0;
}

// Reads the chain of agent names the current process was dispatched through.
export function readChain(env: NodeJS.ProcessEnv): string[] {
  return (env[CHAIN_VAR] ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
}

// The child's environment: the user's (the CLI needs auth, PATH, proxies), minus the caller-session markers,
// plus the agent's own variables, plus our depth and chain, which the agent's env cannot override.
export function buildChildEnv(
  parentEnv: NodeJS.ProcessEnv,
  agentEnv: Record<string, string> | undefined,
  depth: number,
  chain: readonly string[] = [],
  jobId?: string,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(parentEnv)) {
    if (value !== undefined && !NESTED_SET.has(key)) env[key] = value;
  }
  for (const [key, value] of Object.entries(agentEnv ?? {})) env[key] = value;
  env[DEPTH_VAR] = String(depth);
  env[CHAIN_VAR] = chain.map((name) => name.replaceAll(',', '_')).join(',');
  if (jobId) env[JOB_VAR] = jobId;
  else delete env[JOB_VAR];
  return env;
}
