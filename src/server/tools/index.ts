// Every MCP tool, in the order tools/list shows them.
import type { AnyToolDef } from '../tool-def.js';
import { tool as listAgents } from './list-agents.js';
import { tool as inspectAgent } from './inspect-agent.js';
import { tool as listGroups } from './list-groups.js';
import { tool as inspectGroup } from './inspect-group.js';
import { tool as dispatch } from './dispatch.js';
import { tool as dispatchSession } from './dispatch-session.js';
import { tool as dispatchParallel } from './dispatch-parallel.js';
import { tool as dispatchStream } from './dispatch-stream.js';
import { tool as dispatchDialogue } from './dispatch-dialogue.js';
import { tool as addAgent } from './add-agent.js';
import { tool as removeAgent } from './remove-agent.js';
import { tool as updateAgent } from './update-agent.js';
import { tool as dispatchAsync } from './dispatch-async.js';
import { tool as dispatchStatus } from './dispatch-status.js';
import { tool as dispatchWait } from './dispatch-wait.js';
import { tool as dispatchCancel } from './dispatch-cancel.js';
import { tool as dispatchReply } from './dispatch-reply.js';
import { tool as dispatchJobs } from './dispatch-jobs.js';
import { tool as fetchResult } from './fetch-result.js';
import { tool as dispatchGc } from './dispatch-gc.js';
import { tool as cacheStats } from './cache-stats.js';
import { tool as cacheClear } from './cache-clear.js';
import { tool as dispatchWorktrees } from './dispatch-worktrees.js';

// All 23 tools. The handlers' argument types are erased here; each one is checked against its own schema.
export const TOOLS: readonly AnyToolDef[] = [
  listAgents, inspectAgent, listGroups, inspectGroup,
  dispatch, dispatchSession, dispatchParallel, dispatchStream, dispatchDialogue,
  addAgent, removeAgent, updateAgent,
  dispatchAsync, dispatchStatus, dispatchWait, dispatchCancel, dispatchReply, dispatchJobs,
  fetchResult, dispatchGc, cacheStats, cacheClear, dispatchWorktrees,
] as unknown as readonly AnyToolDef[];
