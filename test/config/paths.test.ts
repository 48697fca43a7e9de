import { describe, expect, it } from 'vitest';
import { expandHome, resolveConfigPath, resolveStateDir } from '../../src/config/paths.js';

const home = '/home/ana';

describe('resolveConfigPath', () => {
  it.each([
    [{}, '/home/ana/.config/agent-dispatch/agents.yaml'],
    [{ XDG_CONFIG_HOME: '/xdg' }, '/xdg/agent-dispatch/agents.yaml'],
    [{ XDG_CONFIG_HOME: 'relative/xdg' }, '/home/ana/.config/agent-dispatch/agents.yaml'],
    [{ XDG_CONFIG_HOME: '' }, '/home/ana/.config/agent-dispatch/agents.yaml'],
    [{ AGENT_DISPATCH_CONFIG: '/etc/ad.yaml', XDG_CONFIG_HOME: '/xdg' }, '/etc/ad.yaml'],
    [{ AGENT_DISPATCH_CONFIG: '~/ad.yaml' }, '/home/ana/ad.yaml'],
    [{ AGENT_DISPATCH_CONFIG: '  ' }, '/home/ana/.config/agent-dispatch/agents.yaml'],
  ])('resolves %j to %s', (env, expected) => {
    expect(resolveConfigPath({ env, homedir: home })).toBe(expected);
  });

  it('resolves a relative AGENT_DISPATCH_CONFIG against the given cwd', () => {
    expect(resolveConfigPath({ env: { AGENT_DISPATCH_CONFIG: 'conf/a.yaml' }, homedir: home, cwd: '/work' })).toBe('/work/conf/a.yaml');
  });
});

describe('resolveStateDir', () => {
  it.each([
    [{}, '/home/ana/.local/state/agent-dispatch'],
    [{ XDG_STATE_HOME: '/state' }, '/state/agent-dispatch'],
    [{ XDG_STATE_HOME: 'rel' }, '/home/ana/.local/state/agent-dispatch'],
  ])('resolves %j to %s', (env, expected) => {
    expect(resolveStateDir({ env, homedir: home })).toBe(expected);
  });
});

describe('expandHome', () => {
  it.each([
    ['~', '/home/ana'],
    ['~/p', '/home/ana/p'],
    ['~bob/p', '~bob/p'],
    ['/abs', '/abs'],
    ['rel/~', 'rel/~'],
  ])('expands %s to %s', (input, expected) => {
    expect(expandHome(input, home)).toBe(expected);
  });
});
