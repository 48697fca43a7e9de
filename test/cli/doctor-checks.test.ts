// doctor's checks are pure functions of gathered facts: each fault gives the right status and a fix command.
import { describe, expect, it } from 'vitest';
import { emptyConfig } from '../../src/config/index.js';
import { checkAgentDirectory } from '../../src/cli/doctor/checks/agents.js';
import { checkConfig, editCommand } from '../../src/cli/doctor/checks/config.js';
import { checkEnvironment } from '../../src/cli/doctor/checks/environment.js';
import { runChecks, summarize } from '../../src/cli/doctor/checks/index.js';
import { checkAgentPermissions, writeCapabilities } from '../../src/cli/doctor/checks/permissions.js';
import { checkRegistration } from '../../src/cli/doctor/checks/registration.js';
import { checkAuth, checkClaude, checkNode } from '../../src/cli/doctor/checks/runtime.js';
import { checkStore } from '../../src/cli/doctor/checks/store.js';
import type { AgentFacts, AuthFacts, DoctorFacts, RegistrationFacts } from '../../src/cli/doctor/types.js';
import type { McpEntry, ServerSpec } from '../../src/cli/init/mcp-entry.js';

const agent = (over: Partial<AgentFacts> & { mode?: AgentFacts['agent']['permissionMode']; allowed?: string[] } = {}): AgentFacts => ({
  name: 'web',
  agent: {
    name: 'web',
    directory: '/p/web',
    description: '',
    runtime: 'claude',
    timeout: 300,
    ...(over.mode ? { permissionMode: over.mode } : {}),
    ...(over.allowed ? { allowedTools: over.allowed } : {}),
  },
  capabilities: [],
  riskyCapabilities: [],
  directory: 'ok',
  hasClaudeMd: true,
  ...over,
});

describe('checkNode', () => {
  it.each([
    ['v20.19.0', 'ok'],
    ['v22.1.0', 'ok'],
    ['v18.20.0', 'fail'],
  ])('%s is %s', (version, status) => expect(checkNode(version).status).toBe(status));
});

describe('checkClaude', () => {
  it.each([
    ['found and answering', { bin: 'claude', path: '/usr/bin/claude', version: '2.1.328 (Claude Code)' }, 'ok', undefined],
    ['not on PATH', { bin: 'claude' }, 'fail', 'npm install -g @anthropic-ai/claude-code'],
    ['an override that is missing', { bin: '/opt/claude' }, 'fail', 'npm install -g @anthropic-ai/claude-code'],
    ['found but broken', { bin: 'claude', path: '/usr/bin/claude', versionError: 'exit 1' }, 'fail', '/usr/bin/claude --version'],
  ])('%s → %s', (_name, facts, status, fix) => {
    const result = checkClaude(facts);
    expect(result.status).toBe(status);
    if (fix) expect(result.fix?.[0]).toBe(fix);
  });
});

describe('checkAuth', () => {
  const ran = (over: Partial<Extract<AuthFacts, { kind: 'ran' }>>): AuthFacts => ({ kind: 'ran', ok: false, durationMs: 900, apiKeySet: true, ...over });
  it.each([
    ['a successful request', ran({ ok: true, costUsd: 0.0008 }), 'ok', undefined],
    ['a rejected API key', ran({ failure: { type: 'auth', message: 'Invalid API key' } }), 'fail', 'export ANTHROPIC_API_KEY=<a valid key>'],
    ['no login at all', ran({ apiKeySet: false, failure: { type: 'auth', message: 'Not logged in' } }), 'fail', 'claude auth login'],
    ['a busy API', ran({ failure: { type: 'overloaded', message: '529' } }), 'warn', 'agent-dispatch doctor'],
    ['no answer in time', ran({ failure: { type: 'timeout', message: 'no answer in 60 s' } }), 'fail', 'claude -p "Reply with OK" --max-turns 1'],
    ['--offline', { kind: 'skipped', reason: 'offline' } as AuthFacts, 'skip', undefined],
  ])('%s → %s', (_name, facts, status, fix) => {
    const result = checkAuth(facts);
    expect(result.status).toBe(status);
    expect(result.fix?.[0]).toBe(fix);
  });
});

describe('checkConfig', () => {
  it('asks for init when the file is missing', () => {
    expect(checkConfig({ path: '/c/agents.yaml', exists: false })).toEqual([expect.objectContaining({ status: 'warn', fix: ['agent-dispatch init'] })]);
  });

  it('opens the editor at the first located problem', () => {
    const issues = [{ file: '/c/agents.yaml', line: 4, column: 3, keyPath: '', message: 'YAML syntax error: bad indentation' }];
    const [result] = checkConfig({ path: '/c/agents.yaml', exists: true, error: { message: 'Invalid', issues } });
    expect(result).toMatchObject({ status: 'fail', fix: ['${EDITOR:-vi} +4 /c/agents.yaml'] });
    expect(result!.message).toContain('/c/agents.yaml:4:3: YAML syntax error: bad indentation');
  });

  it('warns about unknown keys and about having no agents', () => {
    const loaded = { config: emptyConfig(), warnings: [{ file: '/c/a.yaml', line: 2, keyPath: 'agents.x.colour', message: 'unknown key' }] };
    const results = checkConfig({ path: '/c/a.yaml', exists: true, loaded });
    expect(results.map((r) => [r.id, r.status])).toEqual([['config', 'ok'], ['config.warnings', 'warn'], ['config.agents', 'warn']]);
  });

  it('lists temp files a killed edit left, with the command that removes them', () => {
    const staleTemps = ['/c/.agents.yaml.42.00aa.tmp', "/c/it's/.agents.yaml.43.00bb.tmp"];
    const results = checkConfig({ path: '/c/agents.yaml', exists: true, loaded: { config: emptyConfig(), warnings: [] }, staleTemps });
    expect(results.find((r) => r.id === 'config.temps')).toEqual({
      id: 'config.temps',
      title: 'Config temp files',
      status: 'warn',
      message: `2 temp files left by an interrupted edit (the next edit removes them):\n${staleTemps.join('\n')}`,
      fix: [`rm /c/.agents.yaml.42.00aa.tmp '/c/it'\\''s/.agents.yaml.43.00bb.tmp'`],
    });
  });

  it.each([
    ['/c/agents.yaml', 3, '${EDITOR:-vi} +3 /c/agents.yaml'],
    ["/c/it's here/a.yaml", undefined, `\${EDITOR:-vi} '/c/it'\\''s here/a.yaml'`],
  ])('editCommand(%s, %s)', (file, line, command) => expect(editCommand(file, line)).toBe(command));
});

describe('checkAgentDirectory', () => {
  it.each([
    ['ok', true, 'ok', undefined],
    ['ok', false, 'warn', "cd /p/web && claude /init"],
    ['missing', false, 'fail', 'mkdir -p /p/web'],
    ['not_directory', false, 'fail', 'agent-dispatch update web --directory DIR'],
    ['unreadable', false, 'fail', 'chmod u+rx /p/web'],
  ] as const)('directory %s, CLAUDE.md %s → %s', (directory, hasClaudeMd, status, fix) => {
    const result = checkAgentDirectory(agent({ directory, hasClaudeMd }));
    expect(result.status).toBe(status);
    expect(result.fix?.[0]).toBe(fix);
  });

  it('offers to move or remove an agent whose directory is gone', () => {
    expect(checkAgentDirectory(agent({ directory: 'missing' })).fix).toEqual(['mkdir -p /p/web', 'agent-dispatch update web --directory DIR', 'agent-dispatch remove web']);
  });
});

describe('checkAgentPermissions', () => {
  const root = { isRoot: true, isSandbox: false };
  const user = { isRoot: false, isSandbox: false };
  it.each([
    ['bypassPermissions as root', agent({ mode: 'bypassPermissions' }), root, 'fail'],
    ['bypassPermissions as root in a sandbox', agent({ mode: 'bypassPermissions' }), { isRoot: true, isSandbox: true }, undefined],
    ['bypassPermissions with IS_SANDBOX in the agent env', { ...agent({ mode: 'bypassPermissions' }), agent: { ...agent().agent, permissionMode: 'bypassPermissions' as const, env: { IS_SANDBOX: '1' } } }, root, undefined],
    ['bypassPermissions as a user', agent({ mode: 'bypassPermissions' }), user, undefined],
    ['plan with write capabilities', agent({ mode: 'plan', capabilities: ['deploy_service'] }), user, 'fail'],
    ['plan for a read-only agent', agent({ mode: 'plan', capabilities: ['docker_logs'] }), user, undefined],
    ['dontAsk with no tools and write capabilities', agent({ mode: 'dontAsk', riskyCapabilities: ['db_migrate'] }), user, 'fail'],
    ['dontAsk with Edit allowed', agent({ mode: 'dontAsk', capabilities: ['fix_bugs'], allowed: ['Read', 'Edit'] }), user, undefined],
    ['dontAsk with a Bash rule allowed', agent({ mode: 'dontAsk', capabilities: ['fix_bugs'], allowed: ['Bash(npm test:*)'] }), user, undefined],
    ['default mode with write capabilities', agent({ capabilities: ['refactor'] }), user, 'warn'],
    ['acceptEdits with write capabilities', agent({ mode: 'acceptEdits', capabilities: ['refactor'] }), user, undefined],
  ])('%s → %s', (_name, facts, context, status) => {
    const results = checkAgentPermissions(facts, context);
    expect(results[0]?.status).toBe(status);
    if (status) expect(results[0]?.fix?.some((f) => f.startsWith('agent-dispatch update web'))).toBe(true);
  });

  it.each([
    [['docker_logs', 'read_metrics'], []],
    [['deploy_debug', 'logs'], ['deploy_debug']],
    [['code_edits'], ['code_edits']],
  ])('writeCapabilities(%j) = %j', (capabilities, expected) => expect(writeCapabilities({ capabilities, riskyCapabilities: [] })).toEqual(expected));
});

describe('checkRegistration', () => {
  const expected: ServerSpec = { type: 'stdio', command: '/usr/bin/node', args: ['/opt/ad/bin/agent-dispatch.js', 'serve'], env: {} };
  const entry = (over: Partial<McpEntry>): McpEntry => ({ scope: 'user', status: 'connected', statusText: 'Connected', type: 'stdio', command: '/usr/bin/node', args: '/opt/ad/bin/agent-dispatch.js serve', env: {}, headers: {}, ...over });
  const found = (e: McpEntry): RegistrationFacts => ({ kind: 'looked_up', lookup: { kind: 'found', entry: e }, expected, cwd: '/w' });
  it.each([
    ['this installation, connected', found(entry({})), 'ok', undefined],
    ['not registered', { kind: 'looked_up', lookup: { kind: 'missing' }, expected, cwd: '/w' } as RegistrationFacts, 'warn', 'agent-dispatch init'],
    ['another installation that fails', found(entry({ args: '/old/bin.js serve', status: 'failed', issue: 'Connection closed' })), 'fail', 'agent-dispatch init'],
    ['another installation that works', found(entry({ args: '/other/bin.js serve' })), 'warn', 'agent-dispatch init'],
    ['another installation at project scope', found(entry({ scope: 'project', args: '/other/bin.js serve' })), 'warn', 'agent-dispatch init --scope project'],
    ['this installation awaiting approval', found(entry({ scope: 'project', status: 'pending' })), 'warn', 'cd /w && claude'],
    ['this installation failing to start', found(entry({ status: 'failed' })), 'fail', '/usr/bin/node /opt/ad/bin/agent-dispatch.js serve < /dev/null'],
    ['the HTTP server, down', found(entry({ type: 'http', url: 'http://127.0.0.1:7787/mcp', status: 'failed' })), 'warn', 'agent-dispatch serve --http --port 7787'],
    ['skipped', { kind: 'skipped', reason: 'no claude' } as RegistrationFacts, 'skip', undefined],
  ])('%s → %s', (_name, facts, status, fix) => {
    const result = checkRegistration(facts);
    expect(result.status).toBe(status);
    expect(result.fix?.[0]).toBe(fix);
  });
});

describe('checkStore', () => {
  it('fails with the directory to fix when the store cannot open', () => {
    const [result] = checkStore({ path: '/s/jobs.db', error: 'SQLITE_CANTOPEN' });
    expect(result).toMatchObject({ status: 'fail', fix: ['mkdir -p /s && chmod u+rwx /s', 'export AGENT_DISPATCH_STATE_DIR=<a writable directory>'] });
  });

  it('reports jobs it recovered from dead owners', () => {
    const [, stale] = checkStore({ path: '/s/jobs.db', recovered: 2, active: 0 });
    expect(stale).toMatchObject({ id: 'store.stale', status: 'ok' });
    expect(stale!.message).toContain('2 jobs were left running by a process that died');
  });
});

describe('checkEnvironment', () => {
  const session = { CLAUDECODE: '1', CLAUDE_CODE_ENTRYPOINT: 'cli', CLAUDE_CODE_SESSION_ID: 'abc' };
  it.each([
    ['a clean shell', {}, 'ok', undefined],
    ['a Claude Code session', session, 'ok', undefined],
    ['a dispatched agent below the limit', { ...session, AGENT_DISPATCH_DEPTH: '1', AGENT_DISPATCH_CHAIN: 'a' }, 'ok', undefined],
    ['a depth leaked into a plain shell', { AGENT_DISPATCH_DEPTH: '1' }, 'warn', 'unset AGENT_DISPATCH_DEPTH AGENT_DISPATCH_CHAIN'],
    ['a leaked depth at the limit', { AGENT_DISPATCH_DEPTH: '3' }, 'fail', 'unset AGENT_DISPATCH_DEPTH AGENT_DISPATCH_CHAIN'],
    ['CLAUDECODE without a session', { CLAUDECODE: '1' }, 'warn', 'unset CLAUDECODE'],
  ])('%s → %s', (_name, env, status, fix) => {
    const result = checkEnvironment(env, 3, '/c/agents.yaml');
    expect(result.status).toBe(status);
    expect(result.fix?.[0]).toBe(fix);
  });
});

describe('runChecks', () => {
  const facts: DoctorFacts = {
    nodeVersion: 'v20.19.0',
    claude: { bin: 'claude', path: '/usr/bin/claude', version: '2.1.328 (Claude Code)' },
    auth: { kind: 'skipped', reason: 'offline' },
    config: { path: '/c/agents.yaml', exists: true, loaded: { config: { ...emptyConfig(), agents: { web: { directory: '/p/web', description: '', runtime: 'claude' } } }, warnings: [] } },
    agents: [agent()],
    registration: { kind: 'skipped', reason: 'test' },
    store: { path: '/s/jobs.db', recovered: 0, active: 0 },
    isRoot: false,
    env: {},
    maxDepth: 3,
  };

  it('gives every warn and fail a fix, in a fixed order', () => {
    const results = runChecks({ ...facts, agents: [agent({ directory: 'missing', mode: 'plan', capabilities: ['deploy'] })] });
    expect(results.map((r) => r.id)).toEqual(['node', 'claude', 'auth', 'config', 'agent.web', 'permissions.web', 'registration', 'store', 'store.stale', 'environment']);
    for (const r of results.filter((r) => r.status === 'warn' || r.status === 'fail')) expect(r.fix?.length, r.id).toBeGreaterThan(0);
    expect(summarize(results)).toEqual({ ok: 6, warn: 0, fail: 2, skip: 2 });
  });

  it('sums up a healthy setup as ok with one permissions line', () => {
    const results = runChecks(facts);
    expect(results.find((r) => r.id === 'permissions')).toMatchObject({ status: 'ok' });
    expect(summarize(results).fail + summarize(results).warn).toBe(0);
  });
});
