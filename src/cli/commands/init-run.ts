// The body of `agent-dispatch init` (defined in init.ts): create the config (with examples and a schema line)
// and register the MCP server with Claude Code, idempotently; `--print` gives the JSON for other MCP clients instead.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { resolveConfigPath } from '../../config/paths.js';
import { DispatchError } from '../../shared/errors.js';
import { CliExit, type CliContext } from '../context.js';
import { claudeBinary, createClaudeMcp } from '../init/claude-mcp.js';
import { isEphemeral, schemaFile } from '../init/install.js';
import { clientConfig, describeEntry, describeSpec, matchesSpec, mcpAddArgs, SERVER_NAME, type McpScope, type ServerSpec } from '../init/mcp-entry.js';
import { ensureRegistered } from '../init/register.js';
import { stdioSpec } from '../init/spec.js';
import { configTemplate } from '../init/template.js';
import { findExecutable } from '../init/which.js';
import { homeOf } from '../home.js';
import { paletteFor } from '../ui/color.js';
import { writeJson } from '../ui/json.js';
import { shellCommand } from '../ui/text.js';

/** The flags of `init`. */
export interface InitOptions {
  scope: McpScope;
  print?: boolean;
  http?: boolean;
  port: string;
}

// Create the config if missing and register the server (or print the JSON for other clients).
export async function runInit(ctx: CliContext, options: InitOptions): Promise<void> {
  const homedir = homeOf(ctx);
  const configPath = resolveConfigPath({ env: ctx.env, homedir, cwd: ctx.cwd });
  const schema = schemaFile();
  const out = options.print ? ctx.stderr : ctx.stdout;
  const c = paletteFor(out, ctx.env);
  // Bad input (a --port that is not a port) fails before anything is written.
  // The HTTP spec reads the token file (node:crypto): loaded only for --http.
  const spec = options.http ? (await import('../init/http.js')).httpSpec(ctx, options.port) : stdioSpec(ctx, configPath);
  const created = ensureConfig(configPath, configTemplate(schema));
  out.write(`${c.green('✔')} Config ${created ? 'created' : 'found'}: ${configPath}${created ? ' (commented examples inside)' : ''}\n`);
  if (!created) {
    try {
      // Loaded only here: the config schema (zod) and the YAML parser are not needed to write the template.
      const { readConfigFile } = await import('../../config/load.js');
      readConfigFile(configPath, homedir);
    } catch (error) {
      out.write(`${c.yellow('!')} It does not load: ${(error as Error).message.split('\n')[0]} Run \`agent-dispatch doctor\` for the details.\n`);
    }
  }
  if (created && schema) out.write(`  Editors with YAML support check it against ${schema}\n`);

  if (spec.type === 'stdio' && isEphemeral(spec.args[0] as string)) {
    out.write(`${c.yellow('!')} This copy runs from npx's cache, which npm may delete; install it for a lasting registration: npm install -g agent-dispatch\n`);
  }
  if (options.print) {
    writeJson(ctx.stdout, clientConfig(printSpec(ctx, spec)));
    ctx.stderr.write(`Add the "${SERVER_NAME}" entry above to your MCP client's configuration (Claude Desktop: claude_desktop_config.json; Cursor: ~/.cursor/mcp.json).\n`);
    if (spec.type === 'stdio') ctx.stderr.write('PATH and the claude path are included because desktop apps start servers without your shell\'s environment.\n');
    return;
  }
  await register(ctx, spec, options.scope);
}

// For clients started from a desktop session: pin PATH and the claude binary, which they would not inherit.
function printSpec(ctx: CliContext, spec: ServerSpec): ServerSpec {
  if (spec.type !== 'stdio') return spec;
  const claude = findExecutable(claudeBinary(ctx.env), ctx.env, ctx.cwd);
  return { ...spec, env: { ...spec.env, ...(claude ? { AGENT_DISPATCH_CLAUDE_BIN: claude } : {}), ...(ctx.env.PATH ? { PATH: ctx.env.PATH } : {}) } };
}

// Create the config file unless it exists; true when created. 'wx' so a file made meanwhile is never replaced.
function ensureConfig(path: string, text: string): boolean {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new DispatchError('CONFIG_WRITE_FAILED', `Cannot create the config file ${path}: ${(error as Error).message}`, {
      hint: 'Check that the directory is writable, or point AGENT_DISPATCH_CONFIG at another file.',
    });
  }
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  return true;
}

async function register(ctx: CliContext, spec: ServerSpec, scope: McpScope): Promise<void> {
  const c = paletteFor(ctx.stdout, ctx.env);
  const mcp = createClaudeMcp({ bin: claudeBinary(ctx.env), env: ctx.env, cwd: ctx.cwd, ...(ctx.signal ? { signal: ctx.signal } : {}) });
  let outcome;
  try {
    outcome = await ensureRegistered(mcp, spec, scope);
  } catch (error) {
    if (error instanceof DispatchError) {
      throw new DispatchError(error.code, `${error.message}\nThe server is not registered with Claude Code.`, {
        hint: `${error.hint ?? ''} ${spec.type === 'stdio' ? `To register by hand: ${shellCommand(['claude', ...mcpAddArgs(spec, scope)])}` : ''}`.trim(),
      });
    }
    throw error;
  }
  const where = `${scope} scope${scope === 'project' ? `, ${resolve(ctx.cwd, '.mcp.json')}` : ''}`;
  if (outcome.action === 'unchanged') ctx.stdout.write(`${c.green('✔')} Already registered with Claude Code (${where}); nothing changed.\n`);
  else if (outcome.action === 'added') ctx.stdout.write(`${c.green('✔')} Registered MCP server "${SERVER_NAME}" with Claude Code (${where}): ${describeSpec(spec)}\n`);
  else ctx.stdout.write(`${c.green('✔')} Re-registered "${SERVER_NAME}" (${where}): it ${outcome.previous ? `started ${outcome.previous}` : 'pointed elsewhere'}; now ${describeSpec(spec)}\n`);

  const after = outcome.after;
  if (after.kind !== 'found') {
    ctx.stderr.write(`${c.red('✘')} \`claude mcp get ${SERVER_NAME}\` does not show the registration: ${after.kind === 'error' ? after.message : 'not found'}\n`);
    throw new CliExit(1);
  }
  const entry = after.entry;
  if (!matchesSpec(entry, spec)) {
    ctx.stderr.write(
      `${c.yellow('!')} Claude Code uses the ${entry.scope ?? 'other'}-scope registration, which starts ${describeEntry(entry)}.\n` +
        `  Remove it to use this one: claude mcp remove ${SERVER_NAME} --scope ${entry.scope ?? 'local'}\n`,
    );
    throw new CliExit(1);
  }
  if (entry.status === 'connected') ctx.stdout.write(`${c.green('✔')} Verified: \`claude mcp get ${SERVER_NAME}\` reports it connected.\n`);
  else if (entry.status === 'pending') ctx.stdout.write(`${c.yellow('!')} Claude Code asks each person to approve project servers: run \`claude\` in ${ctx.cwd} and accept "${SERVER_NAME}".\n`);
  else if (spec.type === 'http') {
    // Registering before the shared server runs is normal: say how to start it.
    const port = new URL(spec.url).port;
    ctx.stdout.write(`${c.yellow('!')} The HTTP server is not running yet; start it with: agent-dispatch serve --http --port ${port}\n`);
  } else {
    ctx.stderr.write(`${c.red('✘')} Registered, but Claude Code could not start it: ${entry.statusText}${entry.issue ? ` (${entry.issue})` : ''}\n`);
    ctx.stderr.write(`  Try it by hand to see the error: ${shellCommand([spec.command, ...spec.args])} < /dev/null\n`);
    throw new CliExit(1);
  }
  ctx.stdout.write(
    [
      '',
      'Next:',
      '  agent-dispatch add NAME DIR    add a project directory as an agent',
      '  agent-dispatch test NAME       send it a real task and watch it work',
      '  agent-dispatch doctor          check the whole setup',
      '',
    ].join('\n'),
  );
}
