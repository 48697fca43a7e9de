// Finds the Claude Code CLI the demo drives: $AGENT_DISPATCH_CLAUDE_BIN, else `claude` on PATH, else the pinned
// devDependency in this package's node_modules/.bin (present after `npm ci` in a clone).
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DispatchError } from '../../shared/errors.js';

/** Where the CLI was found, and how. */
export interface FoundClaude {
  path: string;
  source: 'AGENT_DISPATCH_CLAUDE_BIN' | 'PATH' | 'node_modules';
}

// An executable regular file (or a symlink to one).
export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

// The root of the agent-dispatch package that holds `from` (the bundled chunk or the source file).
export function packageRootOf(from: string): string | undefined {
  let dir = dirname(from);
  for (let i = 0; i < 6; i += 1) {
    try {
      if (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name === 'agent-dispatch') return dir;
    } catch {
      // no package.json here: keep climbing
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}

// Look the CLI up in the documented order; throws CLAUDE_NOT_FOUND with how to fix it.
export function findClaude(
  env: NodeJS.ProcessEnv,
  options: { packageRoot?: string; executable?: (path: string) => boolean } = {},
): FoundClaude {
  const executable = options.executable ?? isExecutable;
  const override = env.AGENT_DISPATCH_CLAUDE_BIN;
  if (override) {
    if (executable(override)) return { path: override, source: 'AGENT_DISPATCH_CLAUDE_BIN' };
    throw new DispatchError('CLAUDE_NOT_FOUND', `AGENT_DISPATCH_CLAUDE_BIN is set to ${override}, which is not an executable file.`, {
      hint: 'Point it at the claude executable, or unset it to use the claude on your PATH.',
    });
  }
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && executable(join(dir, 'claude'))) return { path: join(dir, 'claude'), source: 'PATH' };
  }
  const root = options.packageRoot ?? packageRootOf(fileURLToPath(import.meta.url));
  const local = root === undefined ? undefined : join(root, 'node_modules', '.bin', 'claude');
  if (local !== undefined && executable(local)) return { path: local, source: 'node_modules' };
  throw new DispatchError('CLAUDE_NOT_FOUND', 'The demo needs the Claude Code CLI, and none was found.', {
    hint: 'In a clone of agent-dispatch run `npm ci` (it installs the pinned CLI), or install it with `npm install -g @anthropic-ai/claude-code`, or set AGENT_DISPATCH_CLAUDE_BIN to its path.',
  });
}
