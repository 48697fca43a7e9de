// Which runs can relay their permission requests (approvals `ask`, issue 18). Pure.
import type { RuntimeName } from '../shared/types.js';

export { APPROVAL_SECRET_VAR, APPROVAL_SERVER, APPROVAL_SOCKET_VAR, APPROVAL_TOOL, APPROVAL_TOOL_ID } from '../shared/approvals.js';

// Why approvals `ask` cannot work for this agent, or undefined when it can.
// Codex `exec` never asks (it has a sandbox instead), Gemini CLI's headless mode and `opencode run` have no hook
// that hands a permission request to another program; their interactive protocols (ACP, app-server) are whole
// other front ends, not a flag on the headless run. An agent on an SSH host can ask: its CLI reaches the relay
// over a remote forward (ssh/forward.ts), which the runner checks when it opens it.
export function approvalsProblem(agent: { name: string; runtime: RuntimeName }): string | undefined {
  if (agent.runtime !== 'claude') {
    return `approvals "ask" is not available for agent ${agent.name}: its runtime ${agent.runtime} has no headless way to hand a permission request to another program (only Claude Code has --permission-prompt-tool).`;
  }
  return undefined;
}
