// The processes below a group leader, noted before it is stopped. Claude Code starts each Bash tool in a process
// group of its own, so signalling the agent's group does not reach them; once the leader dies they are orphaned
// (re-parented to init) and can only be found through the parent pids noted before.
import type { ProcessRef } from './identity.js';
import { procfs, type ProcReader } from './stat.js';

/** A group leader and every descendant it had when the snapshot was taken, each with its start time. */
export interface TreeSnapshot {
  leader: number;
  members: Required<ProcessRef>[];
}

// Every live descendant of `root` (children, their children, …), each with its start time.
export function descendantsOf(root: number, proc: ProcReader = procfs): Required<ProcessRef>[] {
  const children = new Map<number, Required<ProcessRef>[]>();
  for (const pid of proc.pids()) {
    const stat = proc.stat(pid);
    if (!stat) continue;
    const list = children.get(stat.ppid) ?? [];
    list.push({ pid, startedAt: stat.startedAt });
    children.set(stat.ppid, list);
  }
  const found: Required<ProcessRef>[] = [];
  const queue = [root];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      found.push(child);
      queue.push(child.pid);
    }
  }
  return found;
}

// Note the tree below a group leader (its pid is its pgid: we spawn each agent detached). Costs one /proc scan.
export function snapshotTree(leader: number, proc: ProcReader = procfs): TreeSnapshot {
  return { leader, members: descendantsOf(leader, proc) };
}
