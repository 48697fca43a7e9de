import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigInvalidError, parseConfigText } from '../../src/config/load.js';
import { formatIssue } from '../../src/config/issues.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'config');
const opts = { file: '/cfg/agents.yaml', homedir: '/home/ana' };

// The error a text produces, or a failure when it loads.
function errorOf(text: string): ConfigInvalidError {
  try {
    parseConfigText(text, opts);
  } catch (error) {
    if (error instanceof ConfigInvalidError) return error;
    throw error;
  }
  throw new Error('expected the config to be invalid');
}

describe('parseConfigText', () => {
  it('loads a config written for the reference unchanged, with every key', () => {
    const { config, warnings } = parseConfigText(readFileSync(join(FIXTURES, 'reference.yaml'), 'utf8'), opts);
    expect(warnings).toEqual([]);
    expect(config.agents.infra).toMatchObject({
      directory: '/home/ana/projects/infra',
      timeout: 300,
      runtime: 'claude',
      capabilities: ['docker_logs', 'deploy_debug'],
      risky_capabilities: ['restart_services'],
    });
    expect(config.agents.backend).toMatchObject({
      model: 'sonnet',
      max_budget_usd: 2.5,
      permission_mode: 'acceptEdits',
      allowed_tools: ['Read', 'Grep', 'Bash(git log:*)'],
      disallowed_tools: ['Write'],
    });
    expect(config.agents['empty-tools']?.allowed_tools).toEqual([]);
    expect(config.groups.shop).toEqual({
      description: 'Deploy via infra, then check the API.',
      shared_context: 'Prod runs in the "shop" stack.\nMetrics counter 12345.\n',
      members: [{ agent: 'infra', use_for: 'deploy, restart, container logs' }, { agent: 'backend' }],
    });
    expect(config.settings).toEqual({
      default_timeout: 600,
      default_permission_mode: 'plan',
      default_allowed_tools: ['Bash', 'Read'],
      default_disallowed_tools: ['WebFetch'],
      default_max_budget_usd: 5,
      max_dispatch_depth: 3,
      max_concurrency: 5,
      job_retention_days: 30,
      worktree_retention_days: 7,
      cache: { enabled: true, ttl: 300, max_size: 1000 },
    });
  });

  it('loads the new keys: runtime, env, daily budgets and max_output_bytes', () => {
    const { config } = parseConfigText(readFileSync(join(FIXTURES, 'extended.yaml'), 'utf8'), opts);
    expect(config.agents.coder).toMatchObject({ runtime: 'codex', env: { LOG_LEVEL: 'debug', PORT: '8080', VERBOSE: 'true' }, daily_budget_usd: 3 });
    expect(config.settings).toMatchObject({ daily_budget_usd: 20, max_output_bytes: 65536 });
  });

  it.each([
    ['an empty file', ''],
    ['only comments', '# nothing yet\n'],
    ['empty sections', 'agents:\ngroups:\nsettings:\n'],
  ])('treats %s as an empty config with default settings', (_, text) => {
    const { config } = parseConfigText(text, opts);
    expect(config.agents).toEqual({});
    expect(config.groups).toEqual({});
    expect(config.settings).toMatchObject({ default_timeout: 300, max_dispatch_depth: 3, max_concurrency: 5, job_retention_days: 0, cache: { enabled: true, ttl: 300, max_size: 1000 } });
  });

  it('treats a key with no value as unset', () => {
    const { config } = parseConfigText('agents:\n  a:\n    directory: /a\n    model:\n    allowed_tools:\n', opts);
    expect(config.agents.a?.model).toBeUndefined();
    expect(config.agents.a?.allowed_tools).toBeUndefined();
  });

  it('resolves a relative directory against the config file and expands ~', () => {
    const { config } = parseConfigText('agents:\n  a: {directory: proj/a}\n  b: {directory: "~/b"}\n', opts);
    expect(config.agents.a?.directory).toBe('/cfg/proj/a');
    expect(config.agents.b?.directory).toBe('/home/ana/b');
  });

  it('warns about unknown keys with their line and a suggestion, and still loads', () => {
    const text = 'agents:\n  a:\n    directory: /a\n    timout: 30\nsettings:\n  colour: red\nextra: 1\n';
    const { config, warnings } = parseConfigText(text, opts);
    expect(config.agents.a).toBeDefined();
    expect(warnings.map(formatIssue)).toEqual([
      '/cfg/agents.yaml:4:5: agents.a.timout: unknown key, ignored (did you mean "timeout"?)',
      expect.stringMatching(/^\/cfg\/agents\.yaml:6:3: settings\.colour: unknown key, ignored \(allowed keys: default_timeout, /),
      expect.stringMatching(/^\/cfg\/agents\.yaml:7:1: extra: unknown key, ignored \(allowed keys: agents, groups, settings\)$/),
    ]);
  });

  it('warns about a group member that is not a configured agent', () => {
    const { warnings } = parseConfigText('agents: {}\ngroups:\n  g:\n    members:\n      - agent: ghost\n', opts);
    expect(warnings.map(formatIssue)).toEqual(['/cfg/agents.yaml:5:16: groups.g.members[0].agent: "ghost" is not a configured agent']);
  });

  it.each([
    ['a negative timeout', 'agents:\n  a:\n    directory: /a\n    timeout: -5\n', '4:14: agents.a.timeout: must be a whole number of seconds, at least 1 (got -5)'],
    ['a fractional timeout', 'agents:\n  a:\n    directory: /a\n    timeout: 1.5\n', '4:14: agents.a.timeout: must be a whole number of seconds, at least 1 (got 1.5)'],
    ['a timeout the timer cannot hold', 'agents:\n  a:\n    directory: /a\n    timeout: 2147484\n', '4:14: agents.a.timeout: must be at most 2147483 seconds (about 24 days); a longer timer cannot be set (got 2147484)'],
    ['a default timeout the timer cannot hold', 'settings:\n  default_timeout: 99999999999\n', '2:20: settings.default_timeout: must be at most 2147483 seconds'],
    ['a quoted timeout', 'agents:\n  a:\n    directory: /a\n    timeout: "300"\n', '4:14: agents.a.timeout: must be a whole number of seconds, at least 1 (got "300")'],
    ['a negative budget', 'agents:\n  a:\n    directory: /a\n    max_budget_usd: -1\n', '4:21: agents.a.max_budget_usd: must be a positive number of US dollars, e.g. 1.5 (got -1)'],
    ['an unknown permission mode', 'agents:\n  a:\n    directory: /a\n    permission_mode: yolo\n', '4:22: agents.a.permission_mode: must be one of: default, acceptEdits, plan, bypassPermissions, dontAsk, auto, manual (got "yolo")'],
    ['an unknown runtime', 'agents:\n  a:\n    directory: /a\n    runtime: cursor\n', '4:14: agents.a.runtime: must be one of: claude, codex, gemini, opencode (got "cursor")'],
    ['a missing directory', 'agents:\n  a:\n    timeout: 5\n', '2:3: agents.a.directory: is required: it must be the path of the project directory'],
    ['tools as a string', 'agents:\n  a:\n    directory: /a\n    allowed_tools: Read,Grep\n', '4:20: agents.a.allowed_tools: must be a list of tool names, e.g. [Read, Grep, "Bash(git log:*)"] (got "Read,Grep")'],
    ['a flag-like tool', 'agents:\n  a:\n    directory: /a\n    allowed_tools: ["--evil"]\n', '4:21: agents.a.allowed_tools[0]: a tool name must not start with "-" or a space (got "--evil")'],
    ['a flag-like model', 'agents:\n  a:\n    directory: /a\n    model: --dangerously-skip-permissions\n', 'agents.a.model: must be a model name or alias without spaces, not starting with "-", e.g. sonnet'],
    ['a bad agent name', 'agents:\n  "a b":\n    directory: /a\n', '2:3: agents["a b"]: invalid name: agent names may use letters, digits, "-" and "_", starting with a letter or digit, at most 64 characters'],
    ['agents as a list', 'agents:\n  - a\n', '1:1: agents: must be a mapping of agent names to agent settings (got a list)'],
    ['a bad cache flag', 'settings:\n  cache:\n    enabled: maybe\n', '3:14: settings.cache.enabled: must be true or false (got "maybe")'],
    ['a bad env name', 'agents:\n  a:\n    directory: /a\n    env: {"1X": y}\n', '4:11: agents.a.env.1X: invalid name: environment variable names use letters'],
    ['a member without an agent', 'groups:\n  g:\n    members:\n      - use_for: x\n', '4:9: groups.g.members[0].agent: is required'],
    ['a list as the whole file', '- a\n- b\n', '1:1: the file must be a mapping with the sections agents, groups and settings'],
    ['a missing directory after a comment', 'agents:\n  # the API\n  a:\n    timeout: 5\n', '3:3: agents.a.directory: is required'],
    ['a group member without an agent key', 'groups:\n  g:\n    members:\n      - use_for: x\n        note: y\n', '4:9: groups.g.members[0].agent: is required'],
    ['settings as a list', 'settings:\n  - a\n', '1:1: settings: '],
    ['an unclosed quote', 'agents:\n  a:\n    directory: "/a\n    timeout: 5\n', '3:16: YAML syntax error: Missing closing "quote'],
    ['a key without a colon', 'agents:\n  a:\n    directory: /a\n    timeout 5\n', '4:5: YAML syntax error: Implicit map keys need to be followed by map values'],
  ])('rejects %s, naming the line, the key path and what is allowed', (_, text, expected) => {
    const error = errorOf(text);
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain('/cfg/agents.yaml');
    expect(error.message).toContain(expected);
  });

  it('accepts the longest timeout a timer can hold', () => {
    expect(parseConfigText('agents:\n  a:\n    directory: /a\n    timeout: 2147483\n', opts).config.agents.a?.timeout).toBe(2_147_483);
  });

  it('reports every invalid value at once', () => {
    const error = errorOf('agents:\n  a:\n    directory: /a\n    timeout: 0\n  b:\n    directory: /b\n    max_budget_usd: 0\n');
    expect(error.issues.map((i) => i.keyPath)).toEqual(['agents.a.timeout', 'agents.b.max_budget_usd']);
  });

  it.each([
    ['an unclosed list', 'agents:\n  a: [1,\n', /^\/cfg\/agents\.yaml:\d+:\d+: YAML syntax error: /],
    ['a duplicate key', 'agents:\n  a: {directory: /a}\n  a: {directory: /b}\n', /^\/cfg\/agents\.yaml:3:3: YAML syntax error: Map keys must be unique/],
    ['a tab indent', 'agents:\n\ta: 1\n', /^\/cfg\/agents\.yaml:2:1: YAML syntax error: /],
  ])('reports %s as a YAML syntax error with its line', (_, text, pattern) => {
    const error = errorOf(text);
    expect(formatIssue(error.issues[0]!)).toMatch(pattern);
    expect(error.hint).toMatch(/changes nothing/);
  });

  it('refuses a billion-laughs alias bomb instead of expanding it', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`)].join('\n');
    expect(errorOf(bomb).code).toBe('CONFIG_INVALID');
  });
});
