// The composition root: builds every service from the user's environment. Commands take what they need.
import { mkdirSync } from 'node:fs';
import { homedir as osHomedir } from 'node:os';
import { join } from 'node:path';
import { ResultCache } from '../cache/cache.js';
import { createConfigStore, resolveStateDir, type ConfigStore, type HealthCheck } from '../config/index.js';
import { createJobStore } from '../jobs/store/index.js';
import type { JobStore } from '../jobs/store/types.js';
import { gitProjectState } from '../jobs/project-state.js';
import { remoteGitProjectState } from '../jobs/remote-state.js';
import { createDispatchService, type CachedAnswer, type DispatchService } from '../jobs/service.js';
import { createRunner } from '../runner/index.js';
import { JOB_VAR, readDepth } from '../runner/env.js';
import { createGit } from '../runner/git/git.js';
import { createWorktreeManager, type WorktreeManager } from '../runner/git/manage.js';
import { createRuntimeAdapters } from '../runner/runtimes.js';
import { createSshClient, type SshClient } from '../runner/ssh/connection.js';
import { assertRemoteDirectory } from '../runner/ssh/probe.js';
import { spawnDetached } from '../runner/spawn.js';
import { createLogger, type LogHub } from '../shared/log.js';
import type { RuntimeName } from '../shared/types.js';
import { createCatalog } from '../server/catalog.js';
import { createAllowAlways } from './allow-always.js';
import type { AgentCatalog } from '../server/catalog-types.js';
import type { CliContext } from './context.js';
import { createHealthCheck } from './host-health.js';

/** Every long-lived service of one process. */
export interface Services {
  config: ConfigStore;
  store: JobStore;
  dispatcher: DispatchService;
  catalog: AgentCatalog;
  logger: LogHub;
  stateDir: string;
  /** Directory health for local and SSH agents (remote answers batched per host and cached 10 s). */
  health: HealthCheck;
  /** The git worktrees of isolated dispatches. */
  worktrees: WorktreeManager;
  close(): void;
}

// The user's home: $HOME first (tests and sandboxes set it), then the OS's idea of it.
export function homeOf(ctx: Pick<CliContext, 'env'>): string {
  return ctx.env.HOME || osHomedir();
}

// Where jobs.db, the token and logs live (see resolveStateDir).
export function stateDirOf(ctx: Pick<CliContext, 'env'>): string {
  return resolveStateDir({ env: ctx.env, homedir: homeOf(ctx) });
}

// Executable overrides per runtime: AGENT_DISPATCH_CLAUDE_BIN, AGENT_DISPATCH_CODEX_BIN, ...
function binaries(env: NodeJS.ProcessEnv): Partial<Record<RuntimeName, string>> {
  const out: Partial<Record<RuntimeName, string>> = {};
  for (const name of ['claude', 'codex', 'gemini', 'opencode'] as const) {
    const value = env[`AGENT_DISPATCH_${name.toUpperCase()}_BIN`];
    if (value) out[name] = value;
  }
  return out;
}

// Build the services. `selfCommand` starts this CLI again (the background job supervisor).
export function createServices(ctx: CliContext, options: { logger?: LogHub } = {}): Services {
  const logger = options.logger ?? createLogger();
  const homedir = homeOf(ctx);
  const config = createConfigStore({ env: ctx.env, homedir, logger });
  const stateDir = stateDirOf(ctx);
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const store = createJobStore({ path: join(stateDir, 'jobs.db'), logger });
  const cache = new ResultCache<CachedAnswer>();
  const self = ctx.selfCommand;
  // One ssh client per process: its control sockets let every run and probe to a host share one connection.
  let ssh: SshClient | undefined;
  const sshClient = () => (ssh ??= createSshClient({ env: ctx.env }));
  const dispatcher = createDispatchService({
    config: () => config.get().config,
    runner: ({ prices, ...limits }) =>
      createRunner({
        env: ctx.env,
        binaries: binaries(ctx.env),
        logger,
        adapters: createRuntimeAdapters(prices ? { prices } : {}),
        ssh: { get settings() { return sshClient().settings; }, sshBinary: 'ssh' },
        worktreesDir: join(stateDir, 'worktrees'),
        ...limits,
      }),
    store,
    cache,
    projectState: (agent) => (agent.host === undefined ? gitProjectState(agent.directory) : remoteGitProjectState(sshClient(), agent)),
    logger,
    nested: readDepth(ctx.env) > 0,
    ...(ctx.env[JOB_VAR] ? { parentJobId: ctx.env[JOB_VAR] } : {}),
    ...(self ? { approvals: { relayCommand: self, dir: stateDir, allowAlways: createAllowAlways(config) } } : {}),
    ...(self
      ? {
          startSupervisor: (jobId: string) =>
            spawnDetached(self[0]!, [...self.slice(1), '__job-runner', jobId], { env: ctx.env, cwd: ctx.cwd, logFile: join(stateDir, 'job-runner.log') }),
        }
      : {}),
  });
  const health = createHealthCheck(ctx.env, sshClient);
  const catalog = createCatalog({ config, cwd: ctx.cwd, homedir, health,
    checkRemote: ({ directory, ...endpoint }) => assertRemoteDirectory(sshClient(), endpoint, directory),
    onAgentChanged: (name) => cache.invalidateTag(name) });
  const worktrees = createWorktreeManager({ dir: join(stateDir, 'worktrees'), git: createGit(ctx.env) });
  return { config, store, dispatcher, catalog, logger, stateDir, health, worktrees, close: () => store.close() };
}

// Remove expired worktrees of isolated dispatches (settings.worktree_retention_days), in the background, at server start.
export function cleanupWorktrees(services: Services): void {
  const days = services.config.get().config.settings.worktree_retention_days;
  services.worktrees.cleanup(days).then(
    (n) => n > 0 && services.logger.info(`removed ${n} expired worktree(s)`),
    (error: unknown) => services.logger.warn(`worktree retention skipped: ${(error as Error).message}`),
  );
}
