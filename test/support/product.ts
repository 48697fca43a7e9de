// Helpers for tests that run agent-dispatch itself (built to dist/) against the stand-in model and real CLI.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { CLAUDE_BIN, REPO_ROOT, type Backbone } from './harness.js';

/** The built CLI entry (npm test builds before running vitest). */
export const AGENT_DISPATCH_BIN = join(REPO_ROOT, 'bin', 'agent-dispatch.js');

// Fail early with a clear message when dist/ was not built.
export function assertBuilt(): void {
  if (!existsSync(join(REPO_ROOT, 'dist', 'cli', 'main.js'))) throw new Error('dist/ is missing: run `npm run build` first (npm test does).');
}

/** A config file plus the environment that points agent-dispatch (and the CLI it runs) at the sandbox. */
export interface ProductSetup {
  configPath: string;
  stateDir: string;
  env: NodeJS.ProcessEnv;
}

// Write agents.yaml into the sandbox and build the environment for agent-dispatch processes.
export function setupProduct(bb: Backbone, config: Record<string, unknown>, extra: Record<string, string | undefined> = {}): ProductSetup {
  const configPath = join(bb.sandbox.root, 'agents.yaml');
  const stateDir = join(bb.sandbox.root, 'state');
  writeFileSync(configPath, stringify(config));
  const env = bb.env({
    extra: { AGENT_DISPATCH_CONFIG: configPath, AGENT_DISPATCH_STATE_DIR: stateDir, AGENT_DISPATCH_CLAUDE_BIN: CLAUDE_BIN, ...extra },
  });
  return { configPath, stateDir, env };
}
