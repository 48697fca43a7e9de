import { describe, expect, it } from 'vitest';
import { buildChildEnv, NESTED_SESSION_VARS, readChain, readDepth } from '../../src/runner/env.js';

describe('readDepth', () => {
  it.each([
    [undefined, 0],
    ['', 0],
    ['2', 2],
    [' 3 ', 3],
    ['-1', 0],
    ['abc', 0],
    ['1.5', 0],
  ])('reads %j as %i', (raw, expected) => {
    expect(readDepth(raw === undefined ? {} : { AGENT_DISPATCH_DEPTH: raw })).toBe(expected);
  });
});

describe('readChain', () => {
  it.each([
    [undefined, []],
    ['', []],
    ['a', ['a']],
    ['a, b,,c ', ['a', 'b', 'c']],
  ])('reads %j', (raw, expected) => {
    expect(readChain(raw === undefined ? {} : { AGENT_DISPATCH_CHAIN: raw })).toEqual(expected);
  });
});

describe('buildChildEnv', () => {
  const parent = {
    PATH: '/usr/bin',
    HOME: '/home/u',
    ANTHROPIC_API_KEY: 'sk-x',
    CLAUDECODE: '1',
    CLAUDE_CODE_ENTRYPOINT: 'cli',
    CLAUDE_CODE_SESSION_ID: 'abc',
    CLAUDE_CODE_CHILD_SESSION: '1',
    AI_AGENT: 'claude-code_2-1-328_agent',
    CLAUDE_CODE_MAX_RETRIES: '2',
    AGENT_DISPATCH_DEPTH: '1',
    UNSET: undefined,
  };

  it('keeps the user environment the CLI needs', () => {
    const env = buildChildEnv(parent, undefined, 2);
    expect(env).toMatchObject({ PATH: '/usr/bin', HOME: '/home/u', ANTHROPIC_API_KEY: 'sk-x', CLAUDE_CODE_MAX_RETRIES: '2' });
    expect('UNSET' in env).toBe(false);
  });

  it.each(['AGENT_DISPATCH_APPROVAL_SOCKET', 'AGENT_DISPATCH_APPROVAL_SECRET', 'AGENT_DISPATCH_APPROVAL_TOKEN'])('does not pass on the approval relay variable %s of the run above', (name) => {
    expect(buildChildEnv({ [name]: 'x', PATH: '/bin' }, undefined, 1)).not.toHaveProperty(name);
  });

  it.each(NESTED_SESSION_VARS.map((name) => [name]))('removes the caller-session marker %s', (name) => {
    expect(buildChildEnv({ [name]: 'x', PATH: '/bin' }, undefined, 1)).not.toHaveProperty(name);
  });

  it('sets the depth and the chain, which the agent env cannot override', () => {
    const env = buildChildEnv(parent, { AGENT_DISPATCH_DEPTH: '0', AGENT_DISPATCH_CHAIN: '', FOO: 'bar' }, 2, ['a', 'b']);
    expect(env).toMatchObject({ AGENT_DISPATCH_DEPTH: '2', AGENT_DISPATCH_CHAIN: 'a,b', FOO: 'bar' });
  });

  it('names the job the agent runs for (its own dispatches share that job\'s slot), never a parent\'s', () => {
    expect(buildChildEnv({ AGENT_DISPATCH_JOB: 'parent' }, undefined, 1, [], 'mine')).toMatchObject({ AGENT_DISPATCH_JOB: 'mine' });
    expect(buildChildEnv({ AGENT_DISPATCH_JOB: 'parent' }, undefined, 1)).not.toHaveProperty('AGENT_DISPATCH_JOB');
  });

  it('lets the agent env set variables the parent lacks or override them', () => {
    expect(buildChildEnv(parent, { IS_SANDBOX: '1', PATH: '/opt/bin' }, 1)).toMatchObject({ IS_SANDBOX: '1', PATH: '/opt/bin' });
  });

  it('keeps commas out of chain entries', () => {
    expect(buildChildEnv({}, undefined, 1, ['we,ird']).AGENT_DISPATCH_CHAIN).toBe('we_ird');
  });
});
