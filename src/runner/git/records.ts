// One small JSON file per worktree agent-dispatch made (<worktrees dir>/records/<id>.json): what it was made
// from, for which job, which sessions ran in it, and whether it was kept or merged. A file per worktree means
// the server and background supervisors never rewrite each other's entries.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** One worktree as recorded. Times are epoch milliseconds. */
export interface WorktreeRecord {
  id: string;
  agent: string;
  jobId?: string;
  /** The worktree's top-level directory. */
  path: string;
  /** Where the agent runs: path plus the agent directory's place inside its repository. */
  cwd: string;
  branch: string;
  /** The checkout the worktree was made from (the agent's own), where a merge lands. */
  repo: string;
  /** A branch name, or an oid (detached HEAD, tag, raw commit). */
  base: string;
  baseOid: string;
  /** The source checkout had uncommitted changes, which the worktree does not carry. */
  baseDirty?: boolean;
  createdAt: number;
  /** When the last run in it ended. */
  finishedAt?: number;
  /** When a resumed session last started a run in it. */
  usedAt?: number;
  /** Sessions started in it: dispatch_session with one of these ids continues here. */
  sessions: string[];
  /** kept: never removed by retention; merged: merged into base (and removed). */
  state: 'active' | 'kept' | 'merged';
}

/** The record files of one worktrees directory. */
export interface WorktreeRecords {
  readonly dir: string;
  save(record: WorktreeRecord): void;
  get(id: string): WorktreeRecord | undefined;
  list(): WorktreeRecord[];
  /** The worktree a session of this agent ran in. */
  bySession(sessionId: string, agent: string): WorktreeRecord | undefined;
  remove(id: string): void;
}

const ID = /^[a-z0-9-]{1,64}$/;

// Open (and create) the records of a worktrees directory.
export function openRecords(dir: string): WorktreeRecords {
  const recordsDir = join(dir, 'records');
  const file = (id: string) => join(recordsDir, `${id}.json`);
  const read = (id: string): WorktreeRecord | undefined => {
    if (!ID.test(id)) return undefined;
    try {
      return JSON.parse(readFileSync(file(id), 'utf8')) as WorktreeRecord;
    } catch {
      return undefined;
    }
  };
  const list = () => {
    let names: string[] = [];
    try {
      names = readdirSync(recordsDir);
    } catch {}
    return names
      .filter((n) => n.endsWith('.json'))
      .map((n) => read(n.slice(0, -5)))
      .filter((r): r is WorktreeRecord => r !== undefined)
      .sort((a, b) => b.createdAt - a.createdAt);
  };
  return {
    dir,
    save(record) {
      mkdirSync(recordsDir, { recursive: true, mode: 0o700 });
      const tmp = `${file(record.id)}.${process.pid}.tmp`;
      writeFileSync(tmp, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
      renameSync(tmp, file(record.id));
    },
    get: read,
    list,
    bySession: (sessionId, agent) => list().find((r) => r.agent === agent && r.sessions.includes(sessionId)),
    remove: (id) => rmSync(file(id), { force: true }),
  };
}
