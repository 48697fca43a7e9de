// MCP task groups (migration 7): one task id standing for several jobs, as dispatch_parallel answers as a task.
// The members' jobs hold all the state; the group only remembers which jobs, in which order, and whose they are.
import type { StoreContext } from './context.js';
import { newJobId, parseJobId } from './rows.js';
import type { TaskGroup, TaskGroupInput, TaskGroupMember } from './types.js';

interface GroupRow {
  id: string;
  tool: string;
  principal: string | null;
  created_at: number;
  members: string;
}

// Store a group under a new random id.
export function createGroup(ctx: StoreContext, input: TaskGroupInput): TaskGroup {
  const group: TaskGroup = { id: newJobId(), tool: input.tool, members: input.members, createdAt: ctx.now(), ...(input.principal ? { principal: input.principal } : {}) };
  ctx.conn.write(() =>
    ctx.conn
      .prepare('INSERT INTO mcp_task_groups (id, tool, principal, created_at, members) VALUES (?, ?, ?, ?, ?)')
      .run(group.id, group.tool, group.principal ?? null, group.createdAt, JSON.stringify(group.members)),
  );
  return group;
}

// The group, or undefined (a malformed id throws INVALID_INPUT, as for a job).
export function readGroup(ctx: StoreContext, rawId: string): TaskGroup | undefined {
  const row = ctx.conn.prepare('SELECT id, tool, principal, created_at, members FROM mcp_task_groups WHERE id = ?').get(parseJobId(rawId)) as GroupRow | undefined;
  if (!row) return undefined;
  let members: TaskGroupMember[] = [];
  try {
    const parsed: unknown = JSON.parse(row.members);
    if (Array.isArray(parsed)) members = parsed as TaskGroupMember[];
  } catch {
    // An unreadable row reads as a group without members.
  }
  return { id: row.id, tool: row.tool, createdAt: row.created_at, members, ...(row.principal !== null ? { principal: row.principal } : {}) };
}
