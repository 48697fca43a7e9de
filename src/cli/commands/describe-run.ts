// The body of `agent-dispatch describe TARGET` (defined in describe.ts): for an agent name, its full resolved
// configuration (where each default came from, the tri-state tool lists, the project's files); for a directory,
// the description `add` would write.
import { existsSync, statSync } from 'node:fs';
import type { Config, ProjectInfo, ValueSource } from '../../config/index.js';
import { DispatchError } from '../../shared/errors.js';
import type { CliContext } from '../context.js';
import { colorEnabled, paint, renderFields, tildify } from '../format.js';
import { loadConfigTools } from './config-tools.js';
import { homeOf } from '../home.js';

// A project description in the snake_case shape of the MCP tools' output.
function projectJson(info: ProjectInfo) {
  return {
    description: info.description,
    summary: info.summary ?? null,
    summary_source: info.summarySource ?? null,
    mcp_servers: info.mcpServers,
    stacks: info.stacks,
    dbs: info.dbs,
    has_claude_md: info.hasClaudeMd,
    has_mcp_config: info.hasMcpConfig,
  };
}

// Where a value came from, in words.
function origin(source: ValueSource, settingsKey: string): string {
  return source === 'settings' ? ` (from settings.${settingsKey})` : '';
}

// The reference's tri-state: unset inherits the default, [] means "none" even when a default exists.
function toolList(tools: string[] | undefined, source: ValueSource, settingsKey: string): string {
  if (tools === undefined) return 'not set (the permission mode decides)';
  if (tools.length === 0) return `none: an empty list, which overrides settings.${settingsKey}`;
  return tools.join(', ') + origin(source, settingsKey);
}

// The agent's detail view as label/value pairs, plus its JSON form.
async function agentDetails(config: Config, name: string, file: string, homedir: string) {
  const { explainAgent, groupsOfAgent, inspectProject } = await import('../../config/index.js');
  const { agent, sources } = explainAgent(config, name);
  const own = config.agents[name]!;
  const exists = existsSync(agent.directory) && statSync(agent.directory).isDirectory();
  const project = exists ? await inspectProject(agent.directory, 0).catch(() => undefined) : undefined;
  const groups = groupsOfAgent(config, name);
  const json = {
    name,
    directory: agent.directory,
    directory_exists: exists,
    description: agent.description,
    runtime: agent.runtime,
    timeout: agent.timeout,
    model: agent.model ?? null,
    max_budget_usd: agent.maxBudgetUsd ?? null,
    daily_budget_usd: own.daily_budget_usd ?? null,
    permission_mode: agent.permissionMode ?? null,
    allowed_tools: agent.allowedTools ?? null,
    disallowed_tools: agent.disallowedTools ?? null,
    sources: {
      timeout: sources.timeout,
      max_budget_usd: sources.maxBudgetUsd,
      permission_mode: sources.permissionMode,
      allowed_tools: sources.allowedTools,
      disallowed_tools: sources.disallowedTools,
    },
    capabilities: own.capabilities ?? [],
    risky_capabilities: own.risky_capabilities ?? [],
    env_keys: own.env === undefined ? [] : Object.keys(own.env),
    groups,
    project: project === undefined ? null : projectJson(project),
    config: file,
  };
  const fields: [string, string][] = [
    ['directory', `${tildify(agent.directory, homedir)}${exists ? '' : '  (missing!)'}`],
    ['description', agent.description || '(none)'],
    ['runtime', agent.runtime],
    ['timeout', `${agent.timeout} s${origin(sources.timeout, 'default_timeout')}`],
    ['model', agent.model ?? 'not set (the CLI default)'],
    ['max budget', agent.maxBudgetUsd === undefined ? 'no cap' : `$${agent.maxBudgetUsd} per dispatch${origin(sources.maxBudgetUsd, 'default_max_budget_usd')}`],
    ['daily budget', own.daily_budget_usd === undefined ? 'no cap' : `$${own.daily_budget_usd} per day`],
    ['permission mode', agent.permissionMode === undefined ? 'not set (the CLI default)' : agent.permissionMode + origin(sources.permissionMode, 'default_permission_mode')],
    ['allowed tools', toolList(agent.allowedTools, sources.allowedTools, 'default_allowed_tools')],
    ['disallowed tools', toolList(agent.disallowedTools, sources.disallowedTools, 'default_disallowed_tools')],
    ['capabilities', own.capabilities?.join(', ') || '-'],
    ['risky', own.risky_capabilities?.join(', ') || '-'],
    ['env', own.env === undefined ? '-' : `${Object.keys(own.env).join(', ')} (values not shown)`],
    ['groups', groups.join(', ') || '-'],
  ];
  if (project !== undefined) {
    fields.push(
      ['CLAUDE.md', project.hasClaudeMd ? 'yes' : 'no'],
      ['MCP servers', project.mcpServers.join(', ') || (project.hasMcpConfig ? '(none readable)' : '-')],
      ['stack', project.stacks.join(', ') || '-'],
      ['databases', project.dbs.join(', ') || '-'],
    );
  }
  fields.push(['config', tildify(file, homedir)]);
  return { fields, json };
}

// A target that is written like a path is a directory; otherwise an agent name wins over a same-named folder.
const looksLikePath = (target: string) => target.includes('/') || target.startsWith('.') || target.startsWith('~');

// Print an agent's resolved configuration, or the description a directory would get.
export async function runDescribe(ctx: CliContext, target: string, flags: { json?: boolean }): Promise<void> {
  const { resolveDirectoryInput, checkDirectory, describeProject, openConfigStore, printWarnings } = await loadConfigTools();
  const homedir = homeOf(ctx);
  const color = colorEnabled(ctx.stdout, ctx.env);
  const print = (value: unknown) => ctx.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  if (!looksLikePath(target)) {
    const store = openConfigStore(ctx);
    const loaded = store.get();
    printWarnings(ctx, loaded);
    if (Object.hasOwn(loaded.config.agents, target)) {
      const { fields, json } = await agentDetails(loaded.config, target, store.path, homedir);
      if (flags.json) print(json);
      else ctx.stdout.write(`${paint(target, 'bold', color)}\n${renderFields(fields, color)}`);
      return;
    }
    const dir = resolveDirectoryInput(target, { cwd: ctx.cwd, homedir });
    if (!existsSync(dir)) {
      const known = Object.keys(loaded.config.agents).sort();
      throw new DispatchError('INVALID_INPUT', `No agent or directory named "${target.slice(0, 64)}". Known agents: ${known.join(', ') || '(none)'}.`, {
        hint: 'Pass an agent name from `agent-dispatch list`, or a directory path such as ./project.',
      });
    }
  }
  const dir = resolveDirectoryInput(target, { cwd: ctx.cwd, homedir });
  checkDirectory(dir);
  const info = await describeProject(dir);
  if (flags.json) print({ directory: dir, ...projectJson(info) });
  else ctx.stdout.write(`${info.description}\n`);
}
