// `agent-dispatch init` against the real Claude Code CLI in a temp HOME: it registers the built server, running it
// again changes nothing, a registration pointing elsewhere is replaced, and --print / --scope / --http work.
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claudeEnv, createSandbox, REPO_ROOT, type Sandbox } from '../support/harness.js';
import { AGENT_DISPATCH_BIN, assertBuilt } from '../support/product.js';

let sb: Sandbox;
let env: NodeJS.ProcessEnv;
const claudeJson = () => readFileSync(join(sb.home, '.claude.json'), 'utf8');
const configFile = () => join(sb.home, '.config', 'agent-dispatch', 'agents.yaml');

// The built CLI, as a person runs it (node + bin script, stdin closed).
const agentDispatch = (args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) =>
  sb.runClaude([AGENT_DISPATCH_BIN, ...args], { bin: process.execPath, cwd: options.cwd ?? sb.root, env: options.env ?? env });
const claude = (args: string[], cwd = sb.root) => sb.runClaude(args, { cwd, env });

beforeAll(() => {
  assertBuilt();
  sb = createSandbox('ad-init-');
  // `claude mcp` commands make no API request; the base URL only has to be well-formed.
  env = claudeEnv({ home: sb.home, tmpDir: sb.tmp, baseUrl: 'http://127.0.0.1:9' });
});

afterAll(() => sb?.cleanup());

describe('agent-dispatch init', () => {
  it('creates the config and registers the server so `claude mcp list` shows it connected', async () => {
    const run = await agentDispatch(['init']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`Config created: ${configFile()}`);
    expect(run.stdout).toContain(`Registered MCP server "agent-dispatch" with Claude Code (user scope): ${process.execPath} ${AGENT_DISPATCH_BIN} serve`);
    expect(run.stdout).toContain('reports it connected');
    expect(readFileSync(configFile(), 'utf8').split('\n')[0]).toBe(`# yaml-language-server: $schema=${join(REPO_ROOT, 'schema', 'agents.schema.json')}`);
    const list = await claude(['mcp', 'list']);
    expect(list.stdout).toMatch(new RegExp(`^agent-dispatch: ${process.execPath} \\S+agent-dispatch\\.js serve - ✔ Connected$`, 'm'));
  });

  it('changes nothing when run a second time', async () => {
    const before = { claude: claudeJson(), config: readFileSync(configFile(), 'utf8') };
    const run = await agentDispatch(['init']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Config found');
    expect(run.stdout).toContain('Already registered with Claude Code (user scope); nothing changed.');
    expect(claudeJson()).toBe(before.claude);
    expect(readFileSync(configFile(), 'utf8')).toBe(before.config);
  });

  it('re-registers a registration that points at another installation, and says so', async () => {
    expect((await claude(['mcp', 'remove', 'agent-dispatch', '--scope', 'user'])).code).toBe(0);
    expect((await claude(['mcp', 'add', '--scope', 'user', 'agent-dispatch', '--', process.execPath, '/elsewhere/bin/agent-dispatch.js', 'serve'])).code).toBe(0);
    const run = await agentDispatch(['init']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`Re-registered "agent-dispatch" (user scope): it started ${process.execPath} /elsewhere/bin/agent-dispatch.js serve`);
    const get = await claude(['mcp', 'get', 'agent-dispatch']);
    expect(get.stdout).toContain(`Args: ${AGENT_DISPATCH_BIN} serve`);
    expect(get.stdout).toContain('✔ Connected');
  });

  it('writes .mcp.json in the working directory with --scope project', async () => {
    const project = sb.project('shared-repo');
    const run = await agentDispatch(['init', '--scope', 'project'], { cwd: project });
    expect(run.code, run.stderr).toBe(0);
    const mcp = JSON.parse(readFileSync(join(project, '.mcp.json'), 'utf8'));
    expect(mcp.mcpServers['agent-dispatch']).toMatchObject({ command: process.execPath, args: [AGENT_DISPATCH_BIN, 'serve'] });
  });

  it('pins AGENT_DISPATCH_CONFIG when the shell sets it, so the server reads the same file', async () => {
    const custom = join(sb.root, 'custom', 'agents.yaml');
    const run = await agentDispatch(['init', '--scope', 'local'], { env: { ...env, AGENT_DISPATCH_CONFIG: custom } });
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(custom)).toBe(true);
    const get = await claude(['mcp', 'get', 'agent-dispatch']);
    expect(get.stdout).toContain('Scope: Local config');
    expect(get.stdout).toContain(`AGENT_DISPATCH_CONFIG=${custom}`);
    expect((await claude(['mcp', 'remove', 'agent-dispatch', '--scope', 'local'])).code).toBe(0);
  });

  it('keeps the token off every command line it runs (it goes to `claude mcp add-json` on stdin)', async () => {
    // A pass-through in front of the real CLI that records each argv it is started with.
    const log = join(sb.root, 'claude-argv.log');
    const wrapper = join(sb.root, 'claude-recording.mjs');
    writeFileSync(
      wrapper,
      `#!${process.execPath}\nimport { appendFileSync } from 'node:fs';\nimport { spawnSync } from 'node:child_process';\n` +
        `appendFileSync(${JSON.stringify(log)}, JSON.stringify(process.argv.slice(2)) + '\\n');\n` +
        `process.exitCode = spawnSync(${JSON.stringify(join(REPO_ROOT, 'node_modules', '.bin', 'claude'))}, process.argv.slice(2), { stdio: 'inherit' }).status ?? 1;\n`,
    );
    chmodSync(wrapper, 0o755);
    const run = await agentDispatch(['init', '--http', '--port', '7798', '--scope', 'user'], { env: { ...env, AGENT_DISPATCH_CLAUDE_BIN: wrapper } });
    expect(run.code, run.stderr).toBe(0);
    const token = readFileSync(join(sb.home, '.local', 'state', 'agent-dispatch', 'access-token'), 'utf8').trim();
    const argvs = readFileSync(log, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as string[]);
    expect(argvs).toContainEqual(['mcp', 'add-json', '--scope', 'user', 'agent-dispatch', '-']);
    for (const argv of argvs) expect(argv.join(' ')).not.toContain(token);
    const list = await claude(['mcp', 'list']);
    expect(list.stdout).toContain('agent-dispatch: http://127.0.0.1:7798/mcp (HTTP)');
    const get = await claude(['mcp', 'get', 'agent-dispatch']);
    expect(get.stdout).toContain(`Authorization: Bearer ${token}`);
    // Running it again finds the registration as wanted and changes nothing.
    const again = await agentDispatch(['init', '--http', '--port', '7798', '--scope', 'user'], { env: { ...env, AGENT_DISPATCH_CLAUDE_BIN: wrapper } });
    expect(again.stdout).toContain('nothing changed');
    expect((await claude(['mcp', 'remove', 'agent-dispatch', '--scope', 'user'])).code).toBe(0);
  });

  it('prints the JSON for other MCP clients with --print and registers nothing', async () => {
    const before = claudeJson();
    const run = await agentDispatch(['init', '--print']);
    expect(run.code, run.stderr).toBe(0);
    const json = JSON.parse(run.stdout);
    expect(json.mcpServers['agent-dispatch']).toMatchObject({
      command: process.execPath,
      args: [AGENT_DISPATCH_BIN, 'serve'],
      env: { AGENT_DISPATCH_CLAUDE_BIN: join(REPO_ROOT, 'node_modules', '.bin', 'claude'), PATH: env.PATH },
    });
    expect(run.stderr).toContain('Claude Desktop');
    expect(claudeJson()).toBe(before);
  });

  it('registers the shared HTTP server with the install token using --http', async () => {
    const run = await agentDispatch(['init', '--http', '--port', '7799', '--scope', 'local']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('start it with: agent-dispatch serve --http --port 7799');
    const token = readFileSync(join(sb.home, '.local', 'state', 'agent-dispatch', 'access-token'), 'utf8').trim();
    const get = await claude(['mcp', 'get', 'agent-dispatch']);
    expect(get.stdout).toContain('URL: http://127.0.0.1:7799/mcp');
    expect(get.stdout).toContain(`Authorization: Bearer ${token}`);
    expect((await claude(['mcp', 'remove', 'agent-dispatch', '--scope', 'local'])).code).toBe(0);
  });

  it('without claude, still creates the config and prints the command to register by hand', async () => {
    const home = join(sb.root, 'home-no-claude');
    const run = await agentDispatch(['init'], { env: { ...env, HOME: home, PATH: '/usr/bin:/bin' } });
    expect(run.code).toBe(1);
    expect(existsSync(join(home, '.config', 'agent-dispatch', 'agents.yaml'))).toBe(true);
    expect(run.stderr).toContain('Cannot run the Claude Code CLI (claude)');
    expect(run.stderr).toContain(`claude mcp add --scope user agent-dispatch -- ${process.execPath} ${AGENT_DISPATCH_BIN} serve`);
  });

  it('rejects a bad --scope and a bad --port with usage errors', async () => {
    const scope = await agentDispatch(['init', '--scope', 'global']);
    expect(scope.code).toBe(2);
    expect(scope.stderr).toContain("Allowed choices are user, project, local");
    const port = await agentDispatch(['init', '--http', '--port', 'abc', '--print']);
    expect(port.code).toBe(1);
    expect(port.stderr).toContain('--port must be a whole number from 1 to 65535, got "abc"');
  });
});
