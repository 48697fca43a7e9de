// The config store for CLI commands, built from the command's context (its env and HOME), and the
// warnings it found, printed to stderr so `--json` output on stdout stays clean.
import { createConfigStore, type ConfigStore } from '../config/index.js';
import type { CliContext } from './context.js';
import { homeOf } from './home.js';

// A store for the config file this context points at (AGENT_DISPATCH_CONFIG, XDG_CONFIG_HOME or ~/.config).
export function openConfigStore(ctx: CliContext): ConfigStore {
  return createConfigStore({ env: ctx.env, homedir: homeOf(ctx), cwd: ctx.cwd });
}

// Printing warnings is shared with the cached reads.
export { printWarnings } from './config-read.js';
