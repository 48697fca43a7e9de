// `agent-dispatch list` in pool mode: the agents live workers serve, with their hosts, plus the agents of this
// agents.yaml that no worker serves now (they cannot run: every dispatch goes to the pool).
import type { Config } from '../../config/index.js';
import { agentNames } from '../../config/index.js';
import type { CliContext } from '../context.js';
import { colorEnabled, renderTable, type Cell } from '../format.js';
import { lazyPoolDispatcher } from '../pool-dispatcher.js';

// Print the pool's agents (table or --json).
export async function listPoolAgents(ctx: CliContext, config: Config, url: string, json: boolean): Promise<void> {
  const pool = lazyPoolDispatcher(url, () => config);
  try {
    const served = await (await pool.pool()).agents();
    const names = new Set(served.map((a) => a.name));
    const rows = [
      ...served.map((a) => ({ name: a.name, served: true, hosts: a.hosts, workers: a.workers, description: a.description || config.agents[a.name]?.description || '' })),
      ...agentNames(config)
        .filter((n) => !names.has(n))
        .map((n) => ({ name: n, served: false, hosts: [] as string[], workers: 0, description: config.agents[n]?.description ?? '' })),
    ].sort((a, b) => a.name.localeCompare(b.name));
    if (json) return void ctx.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    if (rows.length === 0) return void ctx.stdout.write('No worker serves any agent yet. Start one with: agent-dispatch worker\n');
    const table = rows.map((r): Cell[] => [
      { text: r.name, style: 'bold' },
      r.served ? { text: 'served', style: 'green' } : { text: 'no worker', style: 'red' },
      r.hosts.join(', ') || '-',
      String(r.workers),
      r.description,
    ]);
    ctx.stdout.write(renderTable(['NAME', 'POOL', 'HOSTS', 'WORKERS', 'DESCRIPTION'], table, { color: colorEnabled(ctx.stdout, ctx.env), flexible: [4] }));
  } finally {
    await pool.close();
  }
}
