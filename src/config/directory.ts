// The project-directory check, apart from validate.ts so that health checks (`list`, describe.ts) load no schema.
import { statSync } from 'node:fs';
import { reasonOf } from '../shared/directory.js';
import { DispatchError } from '../shared/errors.js';

const invalid = (message: string, hint: string) => new DispatchError('INVALID_INPUT', message, { hint });

// Require an existing directory (not a file); DIRECTORY_NOT_FOUND or INVALID_INPUT otherwise.
export function checkDirectory(path: string): void {
  let stats;
  try {
    stats = statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new DispatchError('DIRECTORY_NOT_FOUND', `Directory ${path} does not exist.`, {
        hint: 'Create it first, or pass the path of an existing project directory (~ and relative paths are accepted).',
      });
    }
    const { reason } = reasonOf(code, (error as Error).message);
    if (code === 'ENOTDIR') throw new DispatchError('DIRECTORY_NOT_FOUND', `Directory ${path} ${reason}.`, { hint: 'Check the path: pass the project directory itself.' });
    throw invalid(`Directory ${path} ${reason}.`, 'Check the path and its permissions.');
  }
  if (!stats.isDirectory()) throw invalid(`${path} is a file, not a directory.`, 'Pass the project directory itself (the folder that holds its CLAUDE.md).');
}
