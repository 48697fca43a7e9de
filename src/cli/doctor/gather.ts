// doctor's I/O: find claude, run the probes, read the config, stat agent directories, open the job store.
// Everything here produces facts; the conclusions are drawn by the pure checks.
import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { checkAgentHealth, ConfigInvalidError, explainAgent, readConfigFile, resolveConfigPath, staleTemps } from '../../config/index.js';
import { createJobStore } from '../../jobs/store/index.js';
import { runCommand } from '../../runner/spawn.js';
import { silentLogger } from '../../shared/log.js';
import type { CliContext } from '../context.js';
import { claudeBinary, createClaudeMcp } from '../init/claude-mcp.js';
import { stdioSpec } from '../init/spec.js';
import { findExecutable } from '../init/which.js';
import { homeOf, stateDirOf } from '../home.js';
import { probeAuth } from './auth-probe.js';
import { gatherWorkers } from './workers.js';
import type { AgentFacts, AuthFacts, ClaudeFacts, ConfigFacts, DoctorFacts, RegistrationFacts, StoreFacts } from './types.js';

/** What to gather. */
export interface GatherOptions {
  /** Skip the authentication request (no network, no cost). */
  offline?: boolean;
  nodeVersion?: string;
  isRoot?: boolean;
}

const ENV_KEYS = ['IS_SANDBOX', 'AGENT_DISPATCH_DEPTH', 'AGENT_DISPATCH_CHAIN', 'CLAUDECODE', 'CLAUDE_CODE_ENTRYPOINT', 'CLAUDE_CODE_SESSION_ID', 'CLAUDE_PID', 'ANTHROPIC_API_KEY'];

// Collect every fact; independent probes run at the same time.
export async function gatherFacts(ctx: CliContext, options: GatherOptions = {}): Promise<DoctorFacts> {
  const homedir = homeOf(ctx);
  const config = readConfig(resolveConfigPath({ env: ctx.env, homedir, cwd: ctx.cwd }), homedir);
  const claude = await findClaude(ctx);
  // Before the registration check: it starts our own server (through `claude mcp list`), whose sweep would
  // recover the stale jobs first, and this report would never say that there were any.
  const store = openStore(join(stateDirOf(ctx), 'jobs.db'));
  const [auth, registration, agents, workers] = await Promise.all([
    claude.version === undefined ? Promise.resolve<AuthFacts>({ kind: 'skipped', reason: 'no-claude' }) : options.offline ? Promise.resolve<AuthFacts>({ kind: 'skipped', reason: 'offline' }) : probeAuth(claude.path as string, ctx.env, ctx.signal ? { signal: ctx.signal } : {}),
    lookupRegistration(ctx, claude, config.path),
    agentFacts(config),
    gatherWorkers(stateDirOf(ctx)),
  ]);
  const env: Record<string, string | undefined> = {};
  for (const key of ENV_KEYS) if (ctx.env[key] !== undefined) env[key] = key === 'ANTHROPIC_API_KEY' ? '(set)' : ctx.env[key];
  return {
    nodeVersion: options.nodeVersion ?? process.version,
    claude,
    auth,
    config,
    agents,
    registration,
    store,
    workers,
    isRoot: options.isRoot ?? process.getuid?.() === 0,
    env,
    maxDepth: config.loaded?.config.settings.max_dispatch_depth ?? 3,
  };
}

async function findClaude(ctx: CliContext): Promise<ClaudeFacts> {
  const bin = claudeBinary(ctx.env);
  const path = findExecutable(bin, ctx.env, ctx.cwd);
  if (path === undefined) return { bin };
  const run = await runCommand(path, ['--version'], { env: ctx.env, cwd: ctx.cwd, timeoutMs: 15_000 });
  const version = run.exitCode === 0 ? run.stdout.trim().split('\n')[0] : undefined;
  if (version) return { bin, path, version };
  return { bin, path, versionError: run.error ?? (run.timedOut ? 'timed out' : (run.stderr.trim().split('\n').pop() ?? `exit ${run.exitCode ?? run.signal}`)) };
}

function readConfig(path: string, homedir: string): ConfigFacts {
  const temps = staleTemps(path);
  const facts = readConfigFacts(path, homedir);
  return temps.length > 0 ? { ...facts, staleTemps: temps } : facts;
}

function readConfigFacts(path: string, homedir: string): ConfigFacts {
  if (!existsSync(path)) return { path, exists: false };
  try {
    return { path, exists: true, loaded: readConfigFile(path, homedir) };
  } catch (error) {
    const issues = error instanceof ConfigInvalidError ? error.issues : [];
    const e = error as Error & { hint?: string };
    return { path, exists: true, error: { message: e.message, ...(e.hint ? { hint: e.hint } : {}), issues } };
  }
}

async function agentFacts(config: ConfigFacts): Promise<AgentFacts[]> {
  const loaded = config.loaded?.config;
  if (!loaded) return [];
  return Promise.all(
    Object.keys(loaded.agents)
      .sort()
      .map(async (name) => {
        const { agent } = explainAgent(loaded, name);
        const own = loaded.agents[name];
        const health = await checkAgentHealth(agent.directory);
        return {
          name,
          agent,
          capabilities: own?.capabilities ?? [],
          riskyCapabilities: own?.risky_capabilities ?? [],
          directory: directoryState(agent.directory),
          hasClaudeMd: health.hasClaudeMd,
        };
      }),
  );
}

function directoryState(dir: string): AgentFacts['directory'] {
  try {
    if (!statSync(dir).isDirectory()) return 'not_directory';
  } catch {
    return 'missing';
  }
  try {
    accessSync(dir, constants.R_OK | constants.X_OK);
    return 'ok';
  } catch {
    return 'unreadable';
  }
}

async function lookupRegistration(ctx: CliContext, claude: ClaudeFacts, configPath: string): Promise<RegistrationFacts> {
  if (claude.version === undefined) return { kind: 'skipped', reason: 'no claude to ask' };
  let expected;
  try {
    expected = stdioSpec(ctx, configPath);
  } catch (error) {
    return { kind: 'skipped', reason: (error as Error).message };
  }
  const mcp = createClaudeMcp({ bin: claude.path as string, env: ctx.env, cwd: ctx.cwd, ...(ctx.signal ? { signal: ctx.signal } : {}) });
  try {
    return { kind: 'looked_up', lookup: await mcp.get(), expected, cwd: ctx.cwd };
  } catch (error) {
    return { kind: 'looked_up', lookup: { kind: 'error', message: (error as Error).message }, expected, cwd: ctx.cwd };
  }
}

// Open the store the way every command does, and let it fail jobs whose owner died.
function openStore(path: string): StoreFacts {
  try {
    mkdirSync(join(path, '..'), { recursive: true, mode: 0o700 });
    accessSync(join(path, '..'), constants.W_OK);
    if (existsSync(path)) accessSync(path, constants.R_OK | constants.W_OK);
    const store = createJobStore({ path, logger: silentLogger });
    try {
      const recovered = store.recoverStale();
      const active = store.count({ status: ['pending', 'running'] });
      return { path, recovered, active };
    } finally {
      store.close();
    }
  } catch (error) {
    return { path, error: (error as Error).message };
  }
}
