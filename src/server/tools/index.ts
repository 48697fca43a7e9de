// Every MCP tool, in the order tools/list shows them.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ServerDeps } from '../deps.js';
import { registerListAgents } from './list-agents.js';
import { registerInspectAgent } from './inspect-agent.js';
import { registerListGroups } from './list-groups.js';
import { registerInspectGroup } from './inspect-group.js';
import { registerDispatch } from './dispatch.js';
import { registerDispatchSession } from './dispatch-session.js';
import { registerDispatchParallel } from './dispatch-parallel.js';
import { registerDispatchStream } from './dispatch-stream.js';
import { registerDispatchDialogue } from './dispatch-dialogue.js';
import { registerAddAgent } from './add-agent.js';
import { registerRemoveAgent } from './remove-agent.js';
import { registerUpdateAgent } from './update-agent.js';
import { registerDispatchAsync } from './dispatch-async.js';
import { registerDispatchStatus } from './dispatch-status.js';
import { registerDispatchWait } from './dispatch-wait.js';
import { registerDispatchCancel } from './dispatch-cancel.js';
import { registerDispatchJobs } from './dispatch-jobs.js';
import { registerFetchResult } from './fetch-result.js';
import { registerDispatchGc } from './dispatch-gc.js';
import { registerCacheStats } from './cache-stats.js';
import { registerCacheClear } from './cache-clear.js';
import { registerDispatchWorktrees } from './dispatch-worktrees.js';
import { registerDispatchReply } from './dispatch-reply.js';

const REGISTRARS = [
  registerListAgents, registerInspectAgent, registerListGroups, registerInspectGroup,
  registerDispatch, registerDispatchSession, registerDispatchParallel, registerDispatchStream, registerDispatchDialogue,
  registerAddAgent, registerRemoveAgent, registerUpdateAgent,
  registerDispatchAsync, registerDispatchStatus, registerDispatchWait, registerDispatchCancel, registerDispatchReply, registerDispatchJobs,
  registerFetchResult, registerDispatchGc, registerCacheStats, registerCacheClear, registerDispatchWorktrees,
];

// Register all 23 tools on the server.
export function registerTools(server: McpServer, deps: ServerDeps): void {
  for (const register of REGISTRARS) register(server, deps);
}
