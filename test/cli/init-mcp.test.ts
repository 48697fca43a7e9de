// Reading `claude mcp get`, comparing registrations and building `claude mcp add` (pure).
import { describe, expect, it } from 'vitest';
import { clientConfig, describeEntry, matchesSpec, mcpAddArgs, mcpAddInput, parseMcpGet, type ServerSpec } from '../../src/cli/init/mcp-entry.js';
import { isEphemeral } from '../../src/cli/init/install.js';

// Outputs as Claude Code 2.1.328 prints them (claude-cli.md §11 and our own runs).
const USER_STDIO = `agent-dispatch:
  Scope: User config (available in all your projects)
  Status: ✔ Connected
  Type: stdio
  Command: /usr/bin/node
  Args: /opt/my dir/bin/agent-dispatch.js serve
  Environment:
    AGENT_DISPATCH_CONFIG=/tmp/x.yaml

To remove this server, run: claude mcp remove agent-dispatch -s user
`;
const FAILED = `agent-dispatch:
  Scope: User config (available in all your projects)
  Status: ✘ Failed to connect
  Issue: CONNECTION_CLOSED: Connection closed
  Type: stdio
  Command: /usr/bin/node
  Args: /old/bin.js serve
  Environment:

To remove this server, run: claude mcp remove agent-dispatch -s user
`;
const PROJECT_PENDING = `agent-dispatch:
  Scope: Project config (shared via .mcp.json)
  Status: ⏸ Pending approval (run \`claude\` to approve)
  Type: stdio
  Command: /usr/bin/node
  Args: /tmp/b.js serve
  Environment:
`;
const LOCAL_HTTP = `agent-dispatch:
  Scope: Local config (private to you in this project)
  Status: ✘ Failed to connect
  Issue: ECONNREFUSED: Unable to connect. Is the computer able to access the url?
  Type: http
  URL: http://127.0.0.1:7787/mcp
  Headers:
    Authorization: Bearer abc
`;

const here: ServerSpec = { type: 'stdio', command: '/usr/bin/node', args: ['/opt/my dir/bin/agent-dispatch.js', 'serve'], env: { AGENT_DISPATCH_CONFIG: '/tmp/x.yaml' } };

describe('parseMcpGet', () => {
  it.each([
    ['a connected user-scope stdio server', USER_STDIO, { scope: 'user', status: 'connected', type: 'stdio', command: '/usr/bin/node', args: '/opt/my dir/bin/agent-dispatch.js serve', env: { AGENT_DISPATCH_CONFIG: '/tmp/x.yaml' } }],
    ['a server that fails to start', FAILED, { status: 'failed', issue: 'CONNECTION_CLOSED: Connection closed', args: '/old/bin.js serve', env: {} }],
    ['a project server waiting for approval', PROJECT_PENDING, { scope: 'project', status: 'pending' }],
    ['a local HTTP server with its header', LOCAL_HTTP, { scope: 'local', type: 'http', url: 'http://127.0.0.1:7787/mcp', headers: { Authorization: 'Bearer abc' } }],
  ])('reads %s', (_name, text, expected) => {
    expect(parseMcpGet(text)).toMatchObject(expected);
  });

  it.each(['', 'No MCP server named "agent-dispatch".', 'garbage\n  nothing: here'])('returns undefined for %j', (text) => {
    expect(parseMcpGet(text)).toBeUndefined();
  });
});

describe('matchesSpec', () => {
  const entry = parseMcpGet(USER_STDIO)!;
  it.each([
    ['the same command, args and variables', here, true],
    ['another script', { ...here, args: ['/elsewhere/bin.js', 'serve'] }, false],
    ['another node', { ...here, command: '/usr/local/bin/node' }, false],
    ['another config file', { ...here, env: { AGENT_DISPATCH_CONFIG: '/other.yaml' } }, false],
    ['no pinned config', { ...here, env: {} }, false],
    ['an HTTP spec', { type: 'http', url: 'http://127.0.0.1:7787/mcp', headers: {} } as ServerSpec, false],
  ])('compares %s', (_name, spec, same) => {
    expect(matchesSpec(entry, spec as ServerSpec)).toBe(same);
  });

  it('ignores variables that are not ours', () => {
    const withOther = { ...entry, env: { ...entry.env, LOG_LEVEL: 'debug' } };
    expect(matchesSpec(withOther, here)).toBe(true);
  });

  it('compares an HTTP registration by URL and header', () => {
    const http = parseMcpGet(LOCAL_HTTP)!;
    expect(matchesSpec(http, { type: 'http', url: 'http://127.0.0.1:7787/mcp', headers: { Authorization: 'Bearer abc' } })).toBe(true);
    expect(matchesSpec(http, { type: 'http', url: 'http://127.0.0.1:7787/mcp', headers: { Authorization: 'Bearer new' } })).toBe(false);
    expect(describeEntry(http)).toBe('http://127.0.0.1:7787/mcp');
  });
});

describe('mcpAddArgs', () => {
  it.each([
    ['stdio at user scope', here, 'user', ['mcp', 'add', '--scope', 'user', 'agent-dispatch', '-e', 'AGENT_DISPATCH_CONFIG=/tmp/x.yaml', '--', '/usr/bin/node', '/opt/my dir/bin/agent-dispatch.js', 'serve']],
    ['stdio at project scope without variables', { ...here, env: {} }, 'project', ['mcp', 'add', '--scope', 'project', 'agent-dispatch', '--', '/usr/bin/node', '/opt/my dir/bin/agent-dispatch.js', 'serve']],
    ['http', { type: 'http', url: 'http://127.0.0.1:1/mcp', headers: { Authorization: 'Bearer t' } }, 'user', ['mcp', 'add-json', '--scope', 'user', 'agent-dispatch', '-']],
  ])('builds %s', (_name, spec, scope, args) => {
    expect(mcpAddArgs(spec as ServerSpec, scope as 'user')).toEqual(args);
  });
});

describe('mcpAddInput', () => {
  it('puts the HTTP server, header and token included, on stdin and nothing for a stdio spec', () => {
    const spec: ServerSpec = { type: 'http', url: 'http://127.0.0.1:1/mcp', headers: { Authorization: 'Bearer secret-token' } };
    expect(JSON.parse(mcpAddInput(spec) as string)).toEqual({ type: 'http', url: 'http://127.0.0.1:1/mcp', headers: { Authorization: 'Bearer secret-token' } });
    expect(mcpAddArgs(spec, 'user').join(' ')).not.toContain('secret-token');
    expect(mcpAddInput(here)).toBeUndefined();
  });
});

describe('clientConfig', () => {
  it('gives other clients an mcpServers entry', () => {
    expect(clientConfig({ ...here, env: {} })).toEqual({ mcpServers: { 'agent-dispatch': { command: '/usr/bin/node', args: ['/opt/my dir/bin/agent-dispatch.js', 'serve'] } } });
    expect(clientConfig(here)).toMatchObject({ mcpServers: { 'agent-dispatch': { env: { AGENT_DISPATCH_CONFIG: '/tmp/x.yaml' } } } });
  });
});

describe('isEphemeral', () => {
  it.each([
    ['/home/u/.npm/_npx/1a2b/node_modules/agent-dispatch/bin/agent-dispatch.js', true],
    ['/usr/lib/node_modules/agent-dispatch/bin/agent-dispatch.js', false],
  ])('%s → %s', (path, expected) => expect(isEphemeral(path)).toBe(expected));
});
