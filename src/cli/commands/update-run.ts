// The body of `agent-dispatch update NAME [options]` (defined in update.ts): change an agent's settings; "none"
// clears a field.
import type { AgentPatch } from '../../config/index.js';
import type { AgentFlags } from '../agent-options.js';
import { toOptionValues } from '../agent-values.js';
import type { CliContext } from '../context.js';
import { asUsage } from '../usage.js';
import { loadConfigTools } from './config-tools.js';
import { homeOf } from '../home.js';
import { colorEnabled, paint } from '../format.js';

// "timeout=600, model cleared" for the changed keys.
export function describePatch(patch: AgentPatch): string {
  return Object.entries(patch)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => (v === null ? `${k} cleared` : `${k}=${Array.isArray(v) ? v.join(',') : typeof v === 'object' ? JSON.stringify(v) : String(v)}`))
    .join(', ');
}

// Apply the flags to the agent (the caller has checked that some flag was given).
export async function runUpdate(ctx: CliContext, name: string, flags: AgentFlags): Promise<void> {
  const values = toOptionValues(flags);
  const { parseAgentOptions, openConfigStore, printWarnings } = await loadConfigTools();
  // A flag's value the config refuses is bad usage (exit 2); the directory's state is checked after (exit 1).
  asUsage(() => parseAgentOptions({ ...values, directory: undefined }, { mode: 'update', cwd: ctx.cwd, homedir: homeOf(ctx) }));
  const patch = parseAgentOptions(values, { mode: 'update', cwd: ctx.cwd, homedir: homeOf(ctx) });
  const loaded = await openConfigStore(ctx).updateAgent(name, patch);
  printWarnings(ctx, loaded);
  const color = colorEnabled(ctx.stdout, ctx.env);
  ctx.stdout.write(`${paint('Updated', 'green', color)} agent ${paint(name, 'bold', color)}: ${describePatch(patch)}\n`);
}

