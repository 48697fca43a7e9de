// A directory only this user may enter, for sockets and keys.
import { lstatSync, mkdirSync } from 'node:fs';

// Make `dir` (0700, with its parents) and check that it is a real directory of this user's that nobody else can
// enter; false when it is not (it existed with other rights or another owner, or could not be made).
export function ensurePrivateDir(dir: string): boolean {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stat = lstatSync(dir);
    const uid = process.getuid?.();
    return stat.isDirectory() && (uid === undefined || stat.uid === uid) && (stat.mode & 0o077) === 0;
  } catch {
    return false;
  }
}
