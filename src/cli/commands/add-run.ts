// The body of `agent-dispatch add NAME DIR` (defined in add.ts): register a project directory as an agent,
// describing it from its own files when no --description is given.
import type { AgentFlags } from '../agent-options.js';
import { toOptionValues } from '../agent-values.js';
import type { CliContext } from '../context.js';
import { asUsage } from '../usage.js';
import { loadConfigTools } from './config-tools.js';
import { homeOf } from '../home.js';
import { colorEnabled, paint, renderFields, tildify } from '../format.js';

// Add the agent, describing the project from its files when no --description is given.
export async function runAdd(ctx: CliContext, name: string, dir: string, flags: AgentFlags): Promise<void> {
  const { checkAgentHealth, describeProject, parseAgentOptions, parseNewAgent, validateName, openConfigStore, printWarnings } = await loadConfigTools();
  validateName('agent', name);
  const homedir = homeOf(ctx);
  // A flag's value the config refuses is bad usage (exit 2); the directory's state is checked after.
  asUsage(() => parseAgentOptions(toOptionValues(flags), { mode: 'add', cwd: ctx.cwd, homedir }));
  const input = parseNewAgent({ ...toOptionValues(flags), directory: dir }, { cwd: ctx.cwd, homedir });
  const store = openConfigStore(ctx);
  store.get(); // fail early on a broken config, before reading the project
  // A remote directory is checked on its host (one ssh call, never a prompt) and not described from here.
  if (input.host !== undefined) {
    const [{ createSshClient }, { assertRemoteDirectory }] = await Promise.all([import('../../runner/ssh/connection.js'), import('../../runner/ssh/probe.js')]);
    await assertRemoteDirectory(createSshClient({ env: ctx.env }), { host: input.host }, input.directory);
  } else if (input.description === undefined) input.description = (await describeProject(input.directory)).description;
  const loaded = await store.addAgent(name, input);
  printWarnings(ctx, loaded);
  const color = colorEnabled(ctx.stdout, ctx.env);
  const where = input.host === undefined ? tildify(input.directory, homedir) : `${input.host}:${input.directory}`;
  ctx.stdout.write(`${paint('Added', 'green', color)} agent ${paint(name, 'bold', color)} → ${where}\n`);
  ctx.stdout.write(renderFields([['description', input.description || '(none)'], ['config', tildify(store.path, homedir)]], color));
  if (input.host === undefined && !(await checkAgentHealth(input.directory)).hasClaudeMd) {
    ctx.stderr.write(`note: ${tildify(input.directory, homedir)} has no CLAUDE.md; the agent will work without project instructions.\n`);
  }
  ctx.stdout.write(`Try it: agent-dispatch test ${name}\n`);
}

