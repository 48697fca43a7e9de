// The processes below a pid, read from /proc. Claude Code starts each Bash tool in a process group of its own,
// so signalling the agent's group does not reach them; when the CLI itself is killed outright (it ignored
// SIGTERM), those tools are orphaned unless they are found through their parent pids first.
import { readdirSync, readFileSync } from 'node:fs';

/** A process and its start time (clock ticks since boot), so a pid reused later is not mistaken for it. */
export interface ProcessMark {
  pid: number;
  startedAt: number;
}

/** Reads /proc; injectable for tests. */
export interface ProcReader {
  pids(): number[];
  /** `[ppid, starttime]` of a pid, or undefined when it is gone. */
  stat(pid: number): [number, number] | undefined;
}

// Parse the fields we need from /proc/<pid>/stat (the command name may contain spaces and parentheses).
export function parseStat(text: string): [number, number] | undefined {
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const ppid = Number(fields[1]);
  const startedAt = Number(fields[19]);
  return Number.isInteger(ppid) && Number.isInteger(startedAt) ? [ppid, startedAt] : undefined;
}

/** The real /proc (empty where there is none, e.g. macOS: the group signal is all we have there). */
export const procfs: ProcReader = {
  pids: () => {
    try {
      return readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number);
    } catch {
      return [];
    }
  },
  stat: (pid) => {
    try {
      return parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      return undefined;
    }
  },
};

// Every live descendant of `root` (children, their children, …), each with its start time.
export function descendantsOf(root: number, proc: ProcReader = procfs): ProcessMark[] {
  const children = new Map<number, ProcessMark[]>();
  for (const pid of proc.pids()) {
    const stat = proc.stat(pid);
    if (!stat) continue;
    const list = children.get(stat[0]) ?? [];
    list.push({ pid, startedAt: stat[1] });
    children.set(stat[0], list);
  }
  const found: ProcessMark[] = [];
  const queue = [root];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      found.push(child);
      queue.push(child.pid);
    }
  }
  return found;
}

// SIGKILL each marked process that is still the same process (same start time).
export function killMarked(marks: readonly ProcessMark[], proc: ProcReader = procfs, kill: (pid: number, signal: NodeJS.Signals) => void = process.kill.bind(process)): void {
  for (const mark of marks) {
    if (proc.stat(mark.pid)?.[1] !== mark.startedAt) continue;
    try {
      kill(mark.pid, 'SIGKILL');
    } catch {}
  }
}
