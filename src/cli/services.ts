// The composition root: builds every service from the user's environment. Commands take what they need.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ResultCache } from '../cache/cache.js';
import { createConfigStore, type ConfigStore, type HealthCheck } from '../config/index.js';
import { resolveCacheDir } from '../config/paths.js';
import { createJobStore } from '../jobs/store/index.js';
import type { JobStore } from '../jobs/store/types.js';
import { gitProjectState } from '../jobs/project-state.js';
import { remoteGitProjectState } from '../jobs/remote-state.js';
import { createDispatchService, type CachedAnswer, type DispatchService, type RunnerLimits } from '../jobs/service.js';
import type { Dispatcher } from '../jobs/dispatcher.js';
import { QUEUE_ENV, queueUrlOf } from '../shared/queue-url.js';
import { lazyPoolDispatcher, type LazyPoolDispatcher } from './pool-dispatcher.js';
import { poolCatalog } from './pool-catalog.js';
import { createRunner } from '../runner/index.js';
import { JOB_VAR, readDepth } from '../runner/env.js';
import { createGit } from '../runner/git/git.js';
import { createWorktreeManager, type WorktreeManager } from '../runner/git/manage.js';
import { createRuntimeAdapters } from '../runner/runtimes.js';
import { createSshClient, type SshClient } from '../runner/ssh/connection.js';
import { assertRemoteDirectory } from '../runner/ssh/probe.js';
import { createLogger, type LogHub } from '../shared/log.js';
import type { RuntimeName, ServeRemoteRelay } from '../shared/types.js';
import { createCatalog } from '../server/catalog.js';
import { createAllowAlways } from './allow-always.js';
import type { AgentCatalog } from '../server/catalog-types.js';
import { backgroundStart } from './background.js';
import type { CliContext } from './context.js';
import { createHealthCheck } from './host-health.js';
import { homeOf, stateDirOf } from './home.js';

/** Every long-lived service of one process. */
export interface Services {
  config: ConfigStore;
  store: JobStore;
  /** What every front end dispatches through: the local service, or the worker pool when a queue is configured. */
  dispatcher: Dispatcher;
  /** The local service (the background job supervisor runs its jobs). */
  local: DispatchService;
  /** Set in pool mode. */
  pool?: LazyPoolDispatcher;
  catalog: AgentCatalog;
  logger: LogHub;
  stateDir: string;
  /** Directory health for local and SSH agents (remote answers batched per host and cached 10 s). */
  health: HealthCheck;
  /** The git worktrees of isolated dispatches. */
  worktrees: WorktreeManager;
  close(): void;
}

export { homeOf, stateDirOf } from './home.js';

// Executable overrides per runtime: AGENT_DISPATCH_CLAUDE_BIN, AGENT_DISPATCH_CODEX_BIN, ...
export function binaries(env: NodeJS.ProcessEnv): Partial<Record<RuntimeName, string>> {
  const out: Partial<Record<RuntimeName, string>> = {};
  for (const name of ['claude', 'codex', 'gemini', 'opencode'] as const) {
    const value = env[`AGENT_DISPATCH_${name.toUpperCase()}_BIN`];
    if (value) out[name] = value;
  }
  return out;
}

// The runner for given limits, built from the user's environment (the local service and pool workers share it).
// The queue URL never reaches an agent's environment.
export function runnerFactory(ctx: CliContext, logger: LogHub, stateDir: string, sshClient: () => SshClient) {
  const env = { ...ctx.env };
  delete env[QUEUE_ENV];
  return ({ prices, ...limits }: RunnerLimits) =>
    createRunner({
      env,
      binaries: binaries(ctx.env),
      logger,
      adapters: createRuntimeAdapters(prices ? { prices } : {}),
      ssh: { get settings() { return sshClient().settings; }, sshBinary: 'ssh' },
      worktreesDir: join(stateDir, 'worktrees'),
      ...limits,
    });
}

// The HTTP approval endpoint of a run on an SSH host, loaded only when such a run asks (it pulls in the HTTP SDK).
export const serveRemote: ServeRemoteRelay = (env) => import('../server/approval-http.js').then((m) => m.serveApprovalRelayHttp(env));

// Build the services. `selfCommand` starts this CLI again (the local worker or a per-job supervisor).
export function createServices(ctx: CliContext, options: { logger?: LogHub } = {}): Services {
  const logger = options.logger ?? createLogger();
  const homedir = homeOf(ctx);
  // Cached like `list`'s: a server's first call then skips the YAML parse and the schema (about 15 ms).
  const config = createConfigStore({ env: ctx.env, homedir, logger, cacheDir: resolveCacheDir({ env: ctx.env, homedir }) });
  const stateDir = stateDirOf(ctx);
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const store = createJobStore({ path: join(stateDir, 'jobs.db'), logger });
  const cache = new ResultCache<CachedAnswer>();
  // One ssh client per process: its control sockets let every run and probe to a host share one connection.
  let ssh: SshClient | undefined;
  const sshClient = () => (ssh ??= createSshClient({ env: ctx.env }));
  const runner = runnerFactory(ctx, logger, stateDir, sshClient);
  const local = createDispatchService({
    config: () => config.get().config,
    runner,
    store,
    cache,
    projectState: (agent) => (agent.host === undefined ? gitProjectState(agent.directory) : remoteGitProjectState(sshClient(), agent)),
    logger,
    nested: readDepth(ctx.env) > 0,
    ...(ctx.env[JOB_VAR] ? { parentJobId: ctx.env[JOB_VAR] } : {}),
    ...backgroundStart(ctx, stateDir, store, logger),
    ...(ctx.selfCommand ? { approvals: { relayCommand: ctx.selfCommand, dir: stateDir, allowAlways: createAllowAlways(config), serveRemote } } : {}),
  });
  // With a queue configured (settings.queue or AGENT_DISPATCH_QUEUE), every dispatch goes to the worker pool.
  const queueUrl = queueUrlOf(config.get().config.settings.queue, ctx.env);
  const pool = queueUrl === undefined ? undefined : lazyPoolDispatcher(queueUrl, () => config.get().config, stateDir, readDepth(ctx.env) > 0);
  const dispatcher: Dispatcher = pool ?? local;
  const health = createHealthCheck(ctx.env, sshClient);
  const ownCatalog = createCatalog({ config, cwd: ctx.cwd, homedir, health,
    checkRemote: ({ directory, ...endpoint }) => assertRemoteDirectory(sshClient(), endpoint, directory),
    onAgentChanged: (name) => cache.invalidateTag(name) });
  const catalog = pool ? poolCatalog(ownCatalog, pool) : ownCatalog;
  const worktrees = createWorktreeManager({ dir: join(stateDir, 'worktrees'), git: createGit(ctx.env) });
  return {
    config, store, dispatcher, local, catalog, logger, stateDir, health, worktrees,
    ...(pool ? { pool } : {}),
    close: () => {
      void pool?.close();
      store.close();
    },
  };
}

// Remove expired worktrees of isolated dispatches (settings.worktree_retention_days), in the background, at server start.
export function cleanupWorktrees(services: Services): void {
  const days = services.config.get().config.settings.worktree_retention_days;
  services.worktrees.cleanup(days).then(
    (n) => n > 0 && services.logger.info(`removed ${n} expired worktree(s)`),
    (error: unknown) => services.logger.warn(`worktree retention skipped: ${(error as Error).message}`),
  );
}
