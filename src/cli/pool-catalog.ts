// list_agents in pool mode: the agents live workers serve, with their hosts, merged with the caller's own
// agents.yaml (an agent defined only here runs only if some worker serves it: `served: false` says it does not).
import type { AgentCatalog } from '../server/catalog-types.js';
import type { LazyPoolDispatcher } from './pool-dispatcher.js';

// Wrap a catalog so listAgents shows the pool.
export function poolCatalog(catalog: AgentCatalog, pool: LazyPoolDispatcher): AgentCatalog {
  return {
    ...catalog,
    async listAgents() {
      const [local, served] = await Promise.all([catalog.listAgents(), (await pool.pool()).agents()]);
      const byName = new Map(served.map((a) => [a.name, a]));
      const rows: Record<string, unknown>[] = local.map((row) => {
        const pooled = byName.get(String(row.name));
        byName.delete(String(row.name));
        return { ...row, served: pooled !== undefined, hosts: pooled?.hosts ?? [] };
      });
      for (const a of byName.values()) rows.push({ name: a.name, description: a.description, served: true, hosts: a.hosts });
      return rows.sort((a, b) => String(a.name).localeCompare(String(b.name)));
    },
  };
}
