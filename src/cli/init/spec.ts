// The registration this installation wants, shared by `init` (to write it) and `doctor` (to compare).
import { resolve } from 'node:path';
import type { CliContext } from '../context.js';
import { currentInstallation } from './install.js';
import type { ServerSpec } from './mcp-entry.js';

// Absolute node and entry script, plus our own variables when this shell sets them, so the server Claude Code
// starts reads the same config and state as the shell that ran init.
export function stdioSpec(ctx: Pick<CliContext, 'env' | 'cwd' | 'selfCommand'>, configPath: string): ServerSpec {
  const { node, bin } = currentInstallation(ctx);
  const env: Record<string, string> = {};
  if (ctx.env.AGENT_DISPATCH_CONFIG?.trim()) env.AGENT_DISPATCH_CONFIG = configPath;
  if (ctx.env.AGENT_DISPATCH_STATE_DIR?.trim()) env.AGENT_DISPATCH_STATE_DIR = resolve(ctx.cwd, ctx.env.AGENT_DISPATCH_STATE_DIR);
  return { type: 'stdio', command: node, args: [bin, 'serve'], env };
}
