// Where the demo looks for the Claude Code CLI, and what it says when there is none.
import { describe, expect, it } from 'vitest';
import { findClaude, packageRootOf } from '../../../src/cli/demo/find-claude.js';
import { REPO_ROOT } from '../../support/harness.js';

const only = (...paths: string[]) => (path: string) => paths.includes(path);

describe('findClaude', () => {
  it.each([
    ['the override first', { AGENT_DISPATCH_CLAUDE_BIN: '/opt/claude', PATH: '/usr/bin' }, ['/opt/claude', '/usr/bin/claude', '/pkg/node_modules/.bin/claude'], { path: '/opt/claude', source: 'AGENT_DISPATCH_CLAUDE_BIN' }],
    ['the first claude on PATH', { PATH: '/a:/b:/c' }, ['/b/claude', '/c/claude', '/pkg/node_modules/.bin/claude'], { path: '/b/claude', source: 'PATH' }],
    ['the pinned devDependency last', { PATH: '/a' }, ['/pkg/node_modules/.bin/claude'], { path: '/pkg/node_modules/.bin/claude', source: 'node_modules' }],
    ['the devDependency when PATH is unset', {}, ['/pkg/node_modules/.bin/claude'], { path: '/pkg/node_modules/.bin/claude', source: 'node_modules' }],
  ])('finds %s', (_title, env, present, expected) => {
    expect(findClaude(env, { packageRoot: '/pkg', executable: only(...present) })).toEqual(expected);
  });

  it('refuses an override that is not executable instead of silently using another CLI', () => {
    expect(() => findClaude({ AGENT_DISPATCH_CLAUDE_BIN: '/nope', PATH: '/usr/bin' }, { packageRoot: '/pkg', executable: only('/usr/bin/claude') })).toThrow(
      /AGENT_DISPATCH_CLAUDE_BIN is set to \/nope/,
    );
  });

  it('says how to get the CLI when there is none', () => {
    try {
      findClaude({ PATH: '/a' }, { packageRoot: '/pkg', executable: only() });
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'CLAUDE_NOT_FOUND', hint: expect.stringContaining('npm ci') });
    }
  });
});

describe('packageRootOf', () => {
  it('climbs from a source file to the agent-dispatch package root', () => {
    expect(packageRootOf(`${REPO_ROOT}/src/cli/demo/find-claude.ts`)).toBe(REPO_ROOT);
  });

  it('returns undefined outside the package', () => {
    expect(packageRootOf('/proc/self/status')).toBeUndefined();
  });
});
