// Helpers for tests that run agent-dispatch itself (built to dist/) against the stand-in model and real CLI.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
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

// For runs without a model: writes `dir/agents.yaml` from `config`, makes `dir/home`, and returns the environment
// that runs agent-dispatch there with the fixture that sleeps FIXTURE_SLEEP_MS standing in for claude.
export function sleepingAgentEnv(dir: string, config: Record<string, unknown>, extra: Record<string, string> = {}): Record<string, string> {
  mkdirSync(join(dir, 'home'), { recursive: true });
  writeFileSync(join(dir, 'agents.yaml'), stringify(config));
  return {
    PATH: process.env.PATH ?? '',
    HOME: join(dir, 'home'),
    AGENT_DISPATCH_CONFIG: join(dir, 'agents.yaml'),
    AGENT_DISPATCH_STATE_DIR: join(dir, 'state'),
    AGENT_DISPATCH_CLAUDE_BIN: join(REPO_ROOT, 'test', 'fixtures', 'bin', 'claude-sleep.mjs'),
    ...extra,
  };
}

// Stop the local workers a test's servers started in `stateDir` (their pidfiles), and wait until they are gone,
// so the sandbox can be removed: a worker lives on after its servers, by design.
export async function stopLocalWorkers(stateDir: string, timeoutMs = 5_000): Promise<void> {
  let names: string[] = [];
  try {
    names = readdirSync(stateDir).filter((n) => /^worker-[0-9a-f]{16}\.pid$/.test(n));
  } catch {
    return;
  }
  const pids = names.flatMap((n) => {
    try {
      return [(JSON.parse(readFileSync(join(stateDir, n), 'utf8')) as { pid: number }).pid];
    } catch {
      return [];
    }
  });
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  for (const pid of pids) if (alive(pid)) process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (pids.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  for (const pid of pids) if (alive(pid)) process.kill(pid, 'SIGKILL');
}
