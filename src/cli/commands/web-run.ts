// The body of `agent-dispatch web` (defined in web.ts): the live dashboard (jobs, agents, costs) on 127.0.0.1,
// guarded by the per-install token.
import type { CliContext } from '../context.js';
import { homeOf } from '../home.js';
import type { Services } from '../services.js';

/** The flags of `web`. */
export interface WebOptions {
  port: string;
  open?: boolean;
}

// The agents page's view of the config: each agent with a health check of its directory.
async function agentsOf(services: Services) {
  const { agentOverview } = await import('../../config/overview.js');
  const config = services.config.get().config;
  return Promise.all(
    Object.keys(config.agents).map(async (name) => {
      const { directory, description, runtime, healthy } = await agentOverview(config, name, services.health);
      return { name, directory, description, runtime, healthy, ...(healthy ? {} : { problem: `directory ${directory} does not exist` }) };
    }),
  );
}

// Pool mode: the agents live workers serve, with their hosts (a caller's own agents.yaml may list none).
async function poolAgentsOf(services: Services) {
  const served = await (await services.pool!.pool()).agents();
  return served.map(({ name, description, hosts }) => ({ name, directory: '', description, healthy: true, hosts }));
}

// Serve the dashboard until Ctrl-C.
export async function runWeb(ctx: CliContext, port: number, options: WebOptions): Promise<void> {
  // Loaded when the command runs, not at start: the services pull in every layer (config schema, SQLite, runner).
  const [{ createServices }, { loadOrCreateToken, resolveTokenPath }] = await Promise.all([import('../services.js'), import('../../config/token.js')]);
  const services = createServices(ctx);
  try {
    const { token, path: tokenFile } = loadOrCreateToken(resolveTokenPath({ env: ctx.env, homedir: homeOf(ctx) }), { logger: services.logger });
    const [{ startWeb, LOGIN_CODE_MS }, { budgetsFromConfig }] = await Promise.all([import('../../web/serve.js'), import('../../web/deps.js')]);
    // Pool mode: every host's jobs from the queue's records, live from its events (connects now: a queue that is
    // down is a clear error at start rather than an empty dashboard).
    const source = services.pool ? (await services.pool.pool()).view() : undefined;
    const web = await startWeb({
      store: services.store,
      ...(source ? { source } : {}),
      dispatcher: services.dispatcher,
      agents: () => (services.pool ? poolAgentsOf(services) : agentsOf(services)),
      budgets: () => budgetsFromConfig(services.config.get().config),
      token,
      tokenFile,
      port,
      open: options.open === true,
      logger: services.logger,
      worktreeDiff: (id) => services.worktrees.diff(id),
    });
    ctx.stdout.write(`Dashboard: ${web.oneTimeUrl()}\n`);
    ctx.stdout.write(`This link signs one browser in, once, within ${LOGIN_CODE_MS / 60_000} minutes. Later, ${web.url} asks for the access token (in ${tokenFile}).\nCtrl-C stops the dashboard.\n`);
    await new Promise<void>((resolve) => {
      if (!ctx.signal || ctx.signal.aborted) return resolve();
      ctx.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    await web.close();
  } finally {
    services.close();
  }
}
