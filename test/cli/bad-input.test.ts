// Every bad input gets a clear message and the right exit code, and leaves the config byte-for-byte intact.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sandbox } from './config-harness.js';

const box = sandbox();
const ORIGINAL = '# my agents — hand-edited\nagents:\n  api:\n    directory: /srv/api   # prod checkout\n';

beforeAll(() => {
  box.project('proj');
  writeFileSync(join(box.cwd, 'a-file.txt'), 'not a directory');
});

describe('bad input to add', () => {
  it.each([
    ['a directory that does not exist', ['add', 'x', 'missing-dir'], 1, /Directory .*\/work\/missing-dir does not exist\.\nhint: Create it first/],
    ['a directory that is a file', ['add', 'x', 'a-file.txt'], 1, /a-file\.txt is a file, not a directory\./],
    ['a name with "/"', ['add', 'a/b', 'proj'], 1, /Invalid agent name "a\/b": it looks like a path\.\nhint: Use letters, digits/],
    ['a name ".."', ['add', '..', 'proj'], 1, /Invalid agent name "\.\.": it looks like a path/],
    ['a name with a space', ['add', 'my agent', 'proj'], 1, /Invalid agent name "my agent": it contains a space/],
    ['a name with a leading "-"', ['add', '-x', 'proj'], 2, /error: unknown option '-x'/],
    ['a name with a leading "-" after --', ['add', '--', '-x', 'proj'], 1, /Invalid agent name "-x": it starts with "-"/],
    ['a name with shell metacharacters', ['add', 'a;rm -rf ~', 'proj'], 1, /Invalid agent name "a;rm -rf ~": it contains ";"/],
    ['a name with a command substitution', ['add', '$(id)', 'proj'], 1, /Invalid agent name "\$\(id\)": it contains "\$"/],
    ['a 10,000-character name', ['add', 'n'.repeat(10_000), 'proj'], 1, /Invalid agent name "n{38}…" \(10000 characters\): it is 10000 characters long \(the limit is 64\)/],
    ['a lone UTF-16 surrogate', ['add', 'a\uD800', 'proj'], 1, /Invalid agent name "a\\ud800": it contains a broken \(unpaired UTF-16 surrogate\) character/],
    ['a duplicate name', ['add', 'api', 'proj'], 1, /Agent "api" already exists \(directory \/srv\/api\)\.\nhint: Change it with `agent-dispatch update api …`/],
    ['an unknown permission mode', ['add', 'x', 'proj', '--permission-mode', 'yolo'], 2, /Invalid permission_mode: must be one of: default, acceptEdits, plan, bypassPermissions, dontAsk, auto, manual \(got "yolo"\)/],
    ['a negative timeout', ['add', 'x', 'proj', '--timeout', '-5'], 2, /Invalid timeout: must be a whole number of seconds, at least 1 \(got -5\)/],
    ['a negative budget', ['add', 'x', 'proj', '--max-budget-usd', '-1'], 2, /Invalid max_budget_usd: must be a positive number of US dollars, e.g\. 1\.5 \(got -1\)/],
    ['a timeout that is not a number', ['add', 'x', 'proj', '--timeout', '5m'], 2, /Invalid timeout: expected a number, got "5m"/],
    ['an unknown runtime', ['add', 'x', 'proj', '--runtime', 'cursor'], 2, /Invalid runtime: must be one of: claude, codex, gemini, opencode/],
    ['a flag-like tool', ['add', 'x', 'proj', '--allowed-tools', '--dangerously-skip-permissions'], 2, /Invalid allowed_tools: a tool name must not start with "-"/],
    ['"none" in add', ['add', 'x', 'proj', '--model', 'none'], 2, /"none" clears model in update; when adding an agent, leave the option out instead\./],
    ['a missing directory argument', ['add', 'x'], 2, /error: missing required argument 'dir'/],
    ['an unknown option', ['add', 'x', 'proj', '--colour', 'red'], 2, /error: unknown option '--colour'/],
  ])('rejects %s (exit %i)', async (_, argv, code, message) => {
    box.write(ORIGINAL);
    const result = await box.run(argv);
    expect(result.code).toBe(code);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
    expect(box.read()).toBe(ORIGINAL);
  });

  it('resolves ~ and relative paths before checking them', async () => {
    box.write(ORIGINAL);
    const result = await box.run(['add', 'x', '~/nope']);
    expect(result.stderr).toContain(`Directory ${box.home}/nope does not exist.`);
    expect(box.read()).toBe(ORIGINAL);
  });
});

describe('a broken existing config', () => {
  it.each([
    ['a YAML syntax error', 'agents:\n  api: [oops\n', /agents\.yaml:\d+:\d+: YAML syntax error: /],
    ['an invalid value', 'agents:\n  api:\n    directory: /srv/api\n    timeout: -1\n', /agents\.yaml:4:14: agents\.api\.timeout: must be a whole number of seconds, at least 1 \(got -1\)/],
  ])('is never overwritten when it has %s', async (_, text, message) => {
    box.write(text);
    for (const argv of [['add', 'x', 'proj'], ['update', 'api', '--timeout', '5'], ['remove', 'api'], ['group', 'add', 'g'], ['list']]) {
      const result = await box.run(argv);
      expect(result.code, argv.join(' ')).toBe(1);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).toContain('hint: Fix the lines above by hand');
      expect(box.read()).toBe(text);
    }
  });
});

describe('bad input to update', () => {
  it.each([
    ['a negative budget', ['update', 'api', '--max-budget-usd', '-2'], 2, /Invalid max_budget_usd: must be a positive number/],
    ['an unknown permission mode', ['update', 'api', '--permission-mode', 'admin'], 2, /Invalid permission_mode: must be one of/],
    ['an unknown approvals mode', ['update', 'api', '--approvals', 'maybe'], 2, /Invalid approvals: must be ask or deny \(got "maybe"\)/],
    ['clearing the directory', ['update', 'api', '--directory', 'none'], 1, /The directory cannot be cleared\./],
    ['a directory that is a file', ['update', 'api', '--directory', 'a-file.txt'], 1, /is a file, not a directory/],
    ['an empty tool list', ['update', 'api', '--allowed-tools', ' , '], 2, /No allowed_tools given in " , "\.\nhint: To clear allowed_tools, pass "none"\./],
  ])('rejects %s (exit %i: 2 for a flag value the config refuses)', async (_, argv, code, message) => {
    box.write(ORIGINAL);
    const result = await box.run(argv);
    expect(result.code).toBe(code);
    expect(result.stderr).toMatch(message);
    expect(box.read()).toBe(ORIGINAL);
  });
});
