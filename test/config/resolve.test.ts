import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import {
  assertGroupMember,
  explainAgent,
  groupSharedContext,
  groupsOfAgent,
  isGroupMember,
  resolveAgent,
} from '../../src/config/resolve.js';
import type { Config } from '../../src/config/schema.js';
import { DispatchError } from '../../src/shared/errors.js';

// A config from YAML text, for readable fixtures.
const load = (text: string): Config => parseConfigText(text, { file: '/c/agents.yaml', homedir: '/h' }).config;

const withDefaults = load(`
agents:
  plain: {directory: /p}
  own: {directory: /o, timeout: 30, max_budget_usd: 1, permission_mode: acceptEdits, allowed_tools: [Read], disallowed_tools: [Bash], model: haiku, env: {A: b}}
  cleared: {directory: /c, allowed_tools: [], disallowed_tools: []}
  runtime: {directory: /r, runtime: gemini}
groups:
  shop:
    shared_context: "Stack shop."
    members: [{agent: plain, use_for: api}, {agent: own}]
  quiet: {members: [{agent: own}]}
settings:
  default_timeout: 600
  default_max_budget_usd: 5
  default_permission_mode: plan
  default_allowed_tools: [Read, Grep]
  default_disallowed_tools: [WebFetch]
`);
const bare = load('agents:\n  plain: {directory: /p}\n');

describe('resolveAgent', () => {
  it.each([
    ['an agent with nothing set inherits every default', withDefaults, 'plain', { timeout: 600, maxBudgetUsd: 5, permissionMode: 'plan', allowedTools: ['Read', 'Grep'], disallowedTools: ['WebFetch'] }],
    ['an agent with its own values keeps them', withDefaults, 'own', { timeout: 30, maxBudgetUsd: 1, permissionMode: 'acceptEdits', allowedTools: ['Read'], disallowedTools: ['Bash'], model: 'haiku', env: { A: 'b' } }],
    ['an empty tool list clears the default instead of inheriting it', withDefaults, 'cleared', { allowedTools: [], disallowedTools: [] }],
    ['the runtime is carried through', withDefaults, 'runtime', { runtime: 'gemini' }],
  ])('%s', (_, config, name, expected) => {
    expect(resolveAgent(config, name)).toMatchObject({ name, runtime: expect.any(String), ...expected });
  });

  it('leaves the optional flags out when neither the agent nor the settings set them', () => {
    expect(resolveAgent(bare, 'plain')).toEqual({ name: 'plain', directory: '/p', description: '', runtime: 'claude', timeout: 300 });
  });

  it('reports where each value came from', () => {
    expect(explainAgent(withDefaults, 'cleared').sources).toEqual({
      timeout: 'settings',
      maxBudgetUsd: 'settings',
      permissionMode: 'settings',
      allowedTools: 'agent',
      disallowedTools: 'agent',
    });
    expect(explainAgent(bare, 'plain').sources.maxBudgetUsd).toBe('unset');
  });

  it('returns copies, so a caller cannot change the config through the result', () => {
    const agent = resolveAgent(withDefaults, 'plain');
    agent.allowedTools?.push('Write');
    expect(withDefaults.settings.default_allowed_tools).toEqual(['Read', 'Grep']);
  });

  it.each([
    ['a typo', 'plian', /Unknown agent "plian"\. Did you mean "plain"\? Known agents: cleared, own, plain, runtime\./],
    ['an inherited object property', 'constructor', /Unknown agent "constructor"\. Known agents: /],
    ['a huge name', 'x'.repeat(10_000), /^Unknown agent "x{64}…"\./],
  ])('throws AGENT_NOT_FOUND listing the known agents for %s', (_, name, message) => {
    const error = (() => {
      try {
        resolveAgent(withDefaults, name);
      } catch (e) {
        return e as DispatchError;
      }
    })();
    expect(error).toBeInstanceOf(DispatchError);
    expect(error?.code).toBe('AGENT_NOT_FOUND');
    expect(error?.message).toMatch(message);
  });

  it('says so when no agents are configured', () => {
    expect(() => resolveAgent(load(''), 'x')).toThrow(/No agents are configured/);
  });
});

describe('groups', () => {
  it.each([
    ['shop', 'plain', true],
    ['shop', 'cleared', false],
    ['nope', 'plain', false],
    ['toString', 'plain', false],
  ])('isGroupMember(%s, %s) is %s', (group, agent, expected) => {
    expect(isGroupMember(withDefaults, group, agent)).toBe(expected);
  });

  it('returns the shared context, or undefined when a group has none', () => {
    expect(groupSharedContext(withDefaults, 'shop')).toBe('Stack shop.');
    expect(groupSharedContext(withDefaults, 'quiet')).toBeUndefined();
  });

  it('lists the groups an agent belongs to', () => {
    expect(groupsOfAgent(withDefaults, 'own')).toEqual(['quiet', 'shop']);
  });

  it('rejects a dispatch to a non-member, naming the members', () => {
    expect(() => assertGroupMember(withDefaults, 'shop', 'cleared')).toThrow('Agent "cleared" is not a member of group "shop". Members: plain, own.');
    expect(() => assertGroupMember(withDefaults, 'shp', 'own')).toThrow(/Unknown group "shp"\. Did you mean "shop"\?/);
  });
});
