// The user's home and the state directory as the CLI sees them: kept apart from services.ts so that commands
// which only need a path (init, list, worktrees) do not load every layer at start.
import { homedir as osHomedir } from 'node:os';
import { resolveStateDir } from '../config/paths.js';
import type { CliContext } from './context.js';

// $HOME when set (tests and sandboxes point it elsewhere), else the OS's idea of it.
export function homeOf(ctx: Pick<CliContext, 'env'>): string {
  return ctx.env.HOME || osHomedir();
}

// Where jobs.db, the token and logs live (see resolveStateDir).
export function stateDirOf(ctx: Pick<CliContext, 'env'>): string {
  return resolveStateDir({ env: ctx.env, homedir: homeOf(ctx) });
}
