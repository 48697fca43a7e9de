// The agent registry the MCP tools see: config plus what each project's own files say, in the reference's
// snake_case shapes. Edits go through the config store, so the CLI and the tools share one set of rules.
import {
  agentOverview,
  checkAgentHealth,
  describeProject,
  explainAgent,
  getGroup,
  groupsOfAgent,
  inspectProject,
  parseAgentOptions,
  validateName,
  assertGroupMember,
  type AgentOptionValues,
  type Config,
  type ConfigStore,
  type HealthCheck,
  type ProjectInfo,
} from '../config/index.js';
import { singleFlight } from './single-flight.js';
import type { AgentCatalog, AgentToolFields } from './catalog-types.js';

/** What the catalog is built from. */
export interface CatalogDeps {
  config: ConfigStore;
  cwd: string;
  homedir: string;
  /** Health of an agent's directory, local or on its SSH host (default: local stats; remote agents unchecked). */
  health?: HealthCheck;
  /** Checks a new remote agent's directory on its host; throws DispatchError when it is not there. */
  checkRemote?: (agent: { host: string; directory: string; sshOptions?: string[] }) => Promise<void>;
  /** Called after an agent was added, changed or removed (drops its cached results). */
  onAgentChanged?: (name: string) => void;
  /** Reads a project's own files (default describeProject). */
  describe?: (dir: string) => Promise<ProjectInfo>;
}

// Reference semantics: "" and 0 mean "not given"; a negative max_budget_usd clears the cap on update.
function toOptionValues(fields: AgentToolFields, mode: 'add' | 'update'): AgentOptionValues {
  const values: AgentOptionValues = {};
  for (const key of ['description', 'model', 'permission_mode', 'allowed_tools', 'disallowed_tools', 'capabilities', 'risky_capabilities', 'runtime'] as const) {
    if (fields[key] !== '') values[key] = fields[key];
  }
  if (fields.host) values.host = fields.host;
  if (fields.timeout !== 0) values.timeout = fields.timeout;
  if (fields.max_budget_usd !== 0) values.max_budget_usd = mode === 'update' && fields.max_budget_usd < 0 ? 'none' : fields.max_budget_usd;
  return values;
}

// Build the catalog over a config store.
export function createCatalog(deps: CatalogDeps): AgentCatalog {
  const current = (): Config => deps.config.get().config;
  // Overlapping reads share one scan: per project directory, and per config for the whole listing.
  const describeOnce = singleFlight<string, ProjectInfo | undefined>();
  const describe = deps.describe ?? describeProject;
  const listOnce = singleFlight<Config, Record<string, unknown>[]>();
  const health: HealthCheck =
    deps.health ?? ((agent) => (agent.host === undefined ? checkAgentHealth(agent.directory) : Promise.resolve({ directoryExists: false, hasClaudeMd: false })));

  // The overview plus what the project's own files say (MCP servers, stacks, databases); remote projects are not read.
  const agentView = async (config: Config, name: string): Promise<Record<string, unknown>> => {
    const { groups: _groups, ...overview } = await agentOverview(config, name, deps.health);
    const info =
      overview.healthy && overview.host === undefined ? await describeOnce(overview.directory, () => describe(overview.directory).catch(() => undefined)) : undefined;
    return {
      ...overview,
      description: overview.description || info?.description || '',
      has_mcp_config: info?.hasMcpConfig ?? false,
      ...(info?.mcpServers.length ? { mcp_servers: info.mcpServers } : {}),
      ...(info?.stacks.length ? { stacks: info.stacks } : {}),
      ...(info?.dbs.length ? { dbs: info.dbs } : {}),
    };
  };

  const memberViews = async (config: Config, groupName: string) =>
    Promise.all(
      getGroup(config, groupName).members.map(async (m) => {
        const known = Object.hasOwn(config.agents, m.agent);
        const healthy = known ? (await health(explainAgent(config, m.agent).agent)).directoryExists : false;
        return { agent: m.agent, ...(m.use_for ? { use_for: m.use_for } : {}), healthy, ...(known ? {} : { unknown: true }) };
      }),
    );

  return {
    async listAgents() {
      // The store hands out the same Config object until the file changes, so an edit starts a fresh listing.
      const config = current();
      return listOnce(config, () => Promise.all(Object.keys(config.agents).sort().map((name) => agentView(config, name))));
    },

    async inspectAgent(name, previewLines) {
      const config = current();
      const { agent, sources } = explainAgent(config, name);
      const view = await agentView(config, name);
      const inspection = view.healthy ? await inspectProject(agent.directory, previewLines).catch(() => undefined) : undefined;
      return {
        ...view,
        sources,
        groups: groupsOfAgent(config, name),
        ...(inspection?.claudeMd ? { claude_md_preview: inspection.claudeMd } : {}),
        ...(inspection?.readme ? { readme_preview: inspection.readme } : {}),
      };
    },

    async listGroups() {
      const config = current();
      return Promise.all(
        Object.keys(config.groups).sort().map(async (name) => {
          const members = await memberViews(config, name);
          return { name, description: config.groups[name]!.description, member_count: members.length, members };
        }),
      );
    },

    async inspectGroup(name) {
      const config = current();
      const group = getGroup(config, name);
      return { name, description: group.description, shared_context: group.shared_context ?? '', members: await memberViews(config, name) };
    },

    async addAgent(name, directory, fields) {
      validateName('agent', name);
      const patch = parseAgentOptions({ ...toOptionValues(fields, 'add'), directory }, { mode: 'add', cwd: deps.cwd, homedir: deps.homedir });
      const dir = patch.directory as string;
      // A remote project is checked on its host; its files are not described from here.
      if (typeof patch.host === 'string') await deps.checkRemote?.({ host: patch.host, directory: dir });
      else if (!patch.description) patch.description = (await describeProject(dir)).description;
      const { config } = await deps.config.addAgent(name, { ...patch, directory: dir } as Parameters<ConfigStore['addAgent']>[1]);
      deps.onAgentChanged?.(name);
      return agentView(config, name);
    },

    async updateAgent(name, fields) {
      const before = explainAgent(current(), name).agent; // AGENT_NOT_FOUND with the known names
      const patch = parseAgentOptions(toOptionValues(fields, 'update'), { mode: 'update', cwd: deps.cwd, homedir: deps.homedir, remote: before.host !== undefined });
      const host = patch.host === null ? undefined : (patch.host ?? before.host);
      if (host !== undefined && (patch.host !== undefined || patch.directory !== undefined)) {
        await deps.checkRemote?.({ host, directory: (patch.directory as string | undefined) ?? before.directory, ...(before.sshOptions ? { sshOptions: before.sshOptions } : {}) });
      }
      const { config } = await deps.config.updateAgent(name, patch);
      deps.onAgentChanged?.(name);
      return agentView(config, name);
    },

    async removeAgent(name) {
      await deps.config.removeAgent(name);
      deps.onAgentChanged?.(name);
    },

    inlineAnswerBytes: () => current().settings.max_output_bytes,

    assertDispatchable(agent, group) {
      const config = current();
      explainAgent(config, agent);
      if (group) assertGroupMember(config, group, agent);
    },
  };
}
