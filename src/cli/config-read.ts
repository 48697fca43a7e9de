// The config for commands that only read it (`list`): loaded through the config cache (config/cached-load.ts), so
// the YAML parser and the schema load only when agents.yaml changed since the last read. Edits and the
// long-lived server use the config store (config-store.ts) instead.
import { loadConfigCached } from '../config/cached-load.js';
import { formatIssue } from '../config/issue.js';
import type { LoadedConfig } from '../config/load.js';
import { resolveCacheDir, resolveConfigPath } from '../config/paths.js';
import type { CliContext } from './context.js';
import { homeOf } from './home.js';

// The config file this context points at (AGENT_DISPATCH_CONFIG, XDG_CONFIG_HOME or ~/.config), as the store reads it.
export async function readConfig(ctx: CliContext): Promise<LoadedConfig> {
  const homedir = homeOf(ctx);
  const path = resolveConfigPath({ env: ctx.env, homedir, cwd: ctx.cwd });
  return loadConfigCached({ path, homedir, cacheDir: resolveCacheDir({ env: ctx.env, homedir }) });
}

// Print the config's warnings (unknown keys, dangling group members) to stderr.
export function printWarnings(ctx: CliContext, loaded: LoadedConfig): void {
  for (const warning of loaded.warnings) ctx.stderr.write(`warning: ${formatIssue(warning)}\n`);
}
