// One answer to "is this path this user's own, and closed to others?" for everything we trust on disk: the pool's
// answer key, the access token, the config cache, the socket folders and the worker's socket. Each caller words
// the answer and decides what follows: refuse, replace, or ignore.
import type { Stats } from 'node:fs';

/** What a path must be. */
export interface OwnRule {
  type: 'file' | 'directory' | 'socket';
  /** Permission bits nobody else may hold: 0o077 (no access at all), 0o022 (no writing). Default: none checked. */
  closedTo?: number;
}

/** The first thing wrong, in this order: the owner, the type, the rights. */
export type OwnProblem = { kind: 'owner'; uid: number } | { kind: 'type' } | { kind: 'mode'; mode: number };

/** The stat fields the check reads (an lstat: a symlink is never a file of ours). */
export type OwnStat = Pick<Stats, 'uid' | 'mode' | 'isFile' | 'isDirectory' | 'isSocket'>;

const TYPE_CHECK: Record<OwnRule['type'], (stat: OwnStat) => boolean> = {
  file: (stat) => stat.isFile(),
  directory: (stat) => stat.isDirectory(),
  socket: (stat) => stat.isSocket(),
};

// Undefined when `stat` is of this user (`uid`; where there are no uids, anyone's), of the right type and closed
// to others as the rule asks.
export function ownProblem(stat: OwnStat, rule: OwnRule, uid: number | undefined = process.getuid?.()): OwnProblem | undefined {
  if (uid !== undefined && stat.uid !== uid) return { kind: 'owner', uid: stat.uid };
  if (!TYPE_CHECK[rule.type](stat)) return { kind: 'type' };
  if ((stat.mode & (rule.closedTo ?? 0)) !== 0) return { kind: 'mode', mode: stat.mode & 0o777 };
  return undefined;
}
