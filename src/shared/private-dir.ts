// A directory only this user may enter, for sockets and keys.
import { lstatSync, mkdirSync } from 'node:fs';
import { ownProblem } from './own-path.js';

// Make `dir` (0700, with its parents) and check that it is a real directory of this user's that nobody else can
// enter; false when it is not (it existed with other rights or another owner, or could not be made).
export function ensurePrivateDir(dir: string): boolean {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    return ownProblem(lstatSync(dir), { type: 'directory', closedTo: 0o077 }) === undefined;
  } catch {
    return false;
  }
}
