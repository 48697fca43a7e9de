// Process facts from Linux /proc, read in one place: /proc/<pid>/stat (parent, group, state, start time) and the
// boot time that turns a start time into a wall-clock one. Everything is injectable through ProcReader for tests.
import { readdirSync, readFileSync } from 'node:fs';

/** The fields of /proc/<pid>/stat we use. */
export interface ProcStat {
  pid: number;
  /** R, S, D, Z (zombie: exited, waiting to be reaped), X (dead), … */
  state: string;
  ppid: number;
  pgid: number;
  /** Start time in clock ticks since boot: with the pid, it names one process even after the pid is reused. */
  startedAt: number;
}

/** Reads the process table; injectable for tests. */
export interface ProcReader {
  /** Every pid now in the table (empty where there is no /proc, e.g. macOS). */
  pids(): number[];
  /** The stat of a pid, or undefined when it is gone or unreadable. */
  stat(pid: number): ProcStat | undefined;
  /** Boot time in epoch ms, or undefined where /proc/stat is missing. */
  bootTimeMs(): number | undefined;
}

/** USER_HZ: the unit of start times on every mainstream Linux build. */
const TICKS_PER_SECOND = 100;

// Parse /proc/<pid>/stat. The command name (field 2) may hold spaces and parentheses, so split after the last ')'.
export function parseStat(text: string): ProcStat | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  // fields[0] is field 3 (state): ppid is field 4, pgrp field 5, starttime field 22.
  const fields = text.slice(close + 1).trim().split(/\s+/);
  const [pid, state, ppid, pgid, startedAt] = [Number.parseInt(text, 10), fields[0], Number(fields[1]), Number(fields[2]), Number(fields[19])];
  if (!state || ![pid, ppid, pgid, startedAt].every(Number.isSafeInteger)) return undefined;
  return { pid, state, ppid, pgid, startedAt };
}

// The wall-clock start of a process, in epoch ms (to the tick; boot time is known to the second).
export function startedAtMs(stat: Pick<ProcStat, 'startedAt'>, bootTimeMs: number): number {
  return bootTimeMs + (stat.startedAt * 1000) / TICKS_PER_SECOND;
}

const readOrUndefined = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

// A reader over a file reader (tests pass a map of paths to texts).
export function procReader(read: (path: string) => string | undefined = readOrUndefined, list: () => string[] = () => readdirSync('/proc')): ProcReader {
  return {
    pids: () => {
      try {
        return list().filter((name) => /^\d+$/.test(name)).map(Number);
      } catch {
        return [];
      }
    },
    stat: (pid) => {
      const text = read(`/proc/${pid}/stat`);
      return text === undefined ? undefined : parseStat(text);
    },
    bootTimeMs: () => {
      const match = /^btime (\d+)$/m.exec(read('/proc/stat') ?? '');
      return match ? Number(match[1]) * 1000 : undefined;
    },
  };
}

/** The real /proc. */
export const procfs: ProcReader = procReader();
