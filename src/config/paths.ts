// Where the config file and the state directory live. Pure: the environment and home directory are parameters.
import { isAbsolute, join, resolve } from 'node:path';

/** What path resolution depends on. */
export interface PathEnv {
  env: Record<string, string | undefined>;
  homedir: string;
  /** Base for a relative AGENT_DISPATCH_CONFIG; defaults to the home directory so the result never depends on the process. */
  cwd?: string;
}

// A set, non-empty variable, or undefined.
function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

// XDG base directories must be absolute; the spec says to ignore relative ones.
function xdgBase(value: string | undefined): string | undefined {
  const v = nonEmpty(value);
  return v !== undefined && isAbsolute(v) ? v : undefined;
}

// Expand a leading `~` or `~/` (not `~user`) against the home directory.
export function expandHome(path: string, homedir: string): string {
  if (path === '~') return homedir;
  if (path.startsWith('~/')) return join(homedir, path.slice(2));
  return path;
}

// The config file: $AGENT_DISPATCH_CONFIG, else $XDG_CONFIG_HOME/agent-dispatch/agents.yaml, else ~/.config/agent-dispatch/agents.yaml.
export function resolveConfigPath({ env, homedir, cwd }: PathEnv): string {
  const override = nonEmpty(env.AGENT_DISPATCH_CONFIG);
  if (override !== undefined) return resolve(cwd ?? homedir, expandHome(override, homedir));
  return join(xdgBase(env.XDG_CONFIG_HOME) ?? join(homedir, '.config'), 'agent-dispatch', 'agents.yaml');
}

// The state directory (job store, token, logs): $AGENT_DISPATCH_STATE_DIR, else $XDG_STATE_HOME/agent-dispatch,
// else ~/.local/state/agent-dispatch.
export function resolveStateDir({ env, homedir }: PathEnv): string {
  const override = nonEmpty(env.AGENT_DISPATCH_STATE_DIR);
  if (override !== undefined) return resolve(homedir, expandHome(override, homedir));
  return join(xdgBase(env.XDG_STATE_HOME) ?? join(homedir, '.local', 'state'), 'agent-dispatch');
}

// The cache directory (the validated config, see cached-load.ts): $XDG_CACHE_HOME/agent-dispatch, else
// ~/.cache/agent-dispatch. Only a cache: deleting it is always safe.
export function resolveCacheDir({ env, homedir }: PathEnv): string {
  return join(xdgBase(env.XDG_CACHE_HOME) ?? join(homedir, '.cache'), 'agent-dispatch');
}

/** Where the shipped JSON Schema of agents.yaml lives in the package (kept here, away from zod, for `init`). */
export const JSON_SCHEMA_FILE = 'schema/agents.schema.json';
