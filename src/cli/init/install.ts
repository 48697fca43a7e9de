// Where this installation lives: the package root (for the shipped JSON Schema) and the command that starts
// this CLI again, with absolute paths so a registration works from any directory.
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { JSON_SCHEMA_FILE } from '../../config/paths.js';
import { DispatchError } from '../../shared/errors.js';
import type { CliContext } from '../context.js';

// The nearest directory above `from` whose package.json names agent-dispatch (works from src/ and from dist/).
export function findPackageRoot(from: string = dirname(fileURLToPath(import.meta.url))): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'agent-dispatch') return dir;
      } catch {
        // an unreadable package.json is not ours; keep walking
      }
    }
    if (dirname(dir) === dir) return undefined;
  }
}

// Absolute path of the shipped schema/agents.schema.json, if the package has one.
export function schemaFile(root = findPackageRoot()): string | undefined {
  if (root === undefined) return undefined;
  const path = join(root, JSON_SCHEMA_FILE);
  return existsSync(path) ? path : undefined;
}

/** How to start this CLI: an absolute node and an absolute entry script. */
export interface Installation {
  node: string;
  bin: string;
}

// The node binary and entry script of this process. `selfCommand` is [node, ...execArgv, script]; the
// script is resolved through symlinks (a global bin link) so the registration names the real package.
export function currentInstallation(ctx: Pick<CliContext, 'selfCommand' | 'cwd'>): Installation {
  const self = ctx.selfCommand;
  const node = self?.[0] ?? process.execPath;
  const script = self && self.length >= 2 ? (self[self.length - 1] as string) : undefined;
  const fallback = findPackageRoot();
  const bin = script ? resolve(ctx.cwd, script) : fallback ? join(fallback, 'bin', 'agent-dispatch.js') : undefined;
  if (!bin || !isAbsolute(node)) {
    throw new DispatchError('INVALID_INPUT', 'Cannot tell how this agent-dispatch was started, so it cannot register itself.', {
      hint: 'Run it as `agent-dispatch init` from an installed package, or register by hand with `claude mcp add`.',
    });
  }
  let real = bin;
  try {
    real = realpathSync(bin);
  } catch {
    // keep the path as given; doctor reports a missing entry script
  }
  return { node, bin: real };
}

// True when the entry script sits in npx's throwaway cache: a registration pointing there breaks when it is pruned.
export function isEphemeral(bin: string): boolean {
  return /[\\/]_npx[\\/]/.test(bin);
}
