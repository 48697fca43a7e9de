// Why a path cannot serve as a project directory, in words: "does not exist" only when that is the reason.
import { accessSync, constants, statSync } from 'node:fs';

/** What is wrong with a directory; `missing` only for a path that does not exist. */
export interface DirectoryProblem {
  missing: boolean;
  /** Completes "The directory … ": e.g. "is a file, not a directory". */
  reason: string;
}

// The reason for an fs error code met while looking at `path`.
export function reasonOf(code: string | undefined, message: string): DirectoryProblem {
  switch (code) {
    case 'ENOENT':
      return { missing: true, reason: 'does not exist' };
    case 'ENOTDIR':
      return { missing: false, reason: 'cannot be reached: a part of its path is a file, not a directory' };
    case 'ELOOP':
      return { missing: false, reason: 'is a symbolic link loop (too many levels of symbolic links)' };
    case 'EACCES':
    case 'EPERM':
      return { missing: false, reason: 'cannot be entered: permission denied' };
    case 'ENAMETOOLONG':
      return { missing: false, reason: 'has a path that is too long' };
    default:
      return { missing: false, reason: `cannot be used: ${message}` };
  }
}

// Undefined when `path` is a directory this process can enter; otherwise what is wrong with it. Synchronous on
// purpose: it runs before every dispatch, and two calls through the thread pool cost more than the lookups.
export function directoryProblem(path: string): DirectoryProblem | undefined {
  try {
    if (!statSync(path).isDirectory()) return { missing: false, reason: 'is a file, not a directory' };
    // A directory without search (x) permission cannot be the agent's working directory.
    accessSync(path, constants.X_OK);
    return undefined;
  } catch (error) {
    return reasonOf((error as NodeJS.ErrnoException).code, (error as Error).message);
  }
}
