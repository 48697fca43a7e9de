import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkDirectory, parseAgentOptions, parseMember, resolveDirectoryInput, splitList, validateName } from '../../src/config/validate.js';
import { tempDir } from './temp.js';

const where = { cwd: '/work/here', homedir: '/home/ana' };

describe('validateName', () => {
  it.each(['a', 'api', 'my-api', 'my_api', '9lives', 'A'.repeat(64)])('accepts %s', (name) => {
    expect(validateName('agent', name)).toBe(name);
  });

  it.each([
    ['', 'it is empty'],
    ['a/b', 'it looks like a path'],
    ['..', 'it looks like a path'],
    ['../etc', 'it looks like a path'],
    ['my api', 'it contains a space'],
    ['-rf', 'it starts with "-"'],
    ['_x', 'it contains "_"'],
    ['a;rm -rf /', 'it contains ";"'],
    ['$(whoami)', 'it contains "$"'],
    ['a`id`', 'it contains "`"'],
    ['a|b', 'it contains "|"'],
    ['a\nb', 'it contains "\\n"'],
    ['x'.repeat(10_000), 'it is 10000 characters long (the limit is 64)'],
    ['a\uD800b', 'unpaired UTF-16 surrogate'],
    ['é', 'it contains "é"'],
  ])('rejects %j: %s', (name, reason) => {
    expect(() => validateName('agent', name)).toThrow(reason);
  });

  it('keeps the message short for a huge name and names the rule in the hint', () => {
    try {
      validateName('group', 'x'.repeat(10_000));
    } catch (error) {
      expect((error as Error).message.length).toBeLessThan(200);
      expect((error as { hint?: string }).hint).toMatch(/letters, digits, "-" and "_"/);
      expect((error as { code?: string }).code).toBe('INVALID_INPUT');
    }
  });
});

describe('splitList', () => {
  it.each([
    ['Read,Grep', ['Read', 'Grep']],
    [' Read , Grep ,, ', ['Read', 'Grep']],
    ['Read,Read', ['Read']],
    ['Bash(git log:*),Read', ['Bash(git log:*)', 'Read']],
    ['Bash(git diff, git log),Edit', ['Bash(git diff, git log)', 'Edit']],
    ['', []],
  ])('splits %j', (text, expected) => {
    expect(splitList(text)).toEqual(expected);
  });
});

describe('parseAgentOptions', () => {
  it.each([
    [{ timeout: '120' }, { timeout: 120 }],
    [{ timeout: 90 }, { timeout: 90 }],
    [{ max_budget_usd: '1.5' }, { max_budget_usd: 1.5 }],
    [{ allowed_tools: 'Read, Grep' }, { allowed_tools: ['Read', 'Grep'] }],
    [{ allowed_tools: ['Read', ' Grep '] }, { allowed_tools: ['Read', 'Grep'] }],
    [{ permission_mode: 'bypassPermissions' }, { permission_mode: 'bypassPermissions' }],
    [{ runtime: 'codex' }, { runtime: 'codex' }],
    [{ description: '  Ops  ' }, { description: 'Ops' }],
    [{ directory: '~/p' }, { directory: '/home/ana/p' }],
    [{ directory: '../p' }, { directory: '/work/p' }],
    [{ model: '', timeout: '' }, {}],
  ])('reads %j as %j', (values, expected) => {
    expect(parseAgentOptions(values, { mode: 'add', ...where })).toEqual(expected);
  });

  it('clears fields given as "none" in update', () => {
    expect(parseAgentOptions({ model: 'none', allowed_tools: 'NONE', description: 'none', timeout: 'none' }, { mode: 'update', ...where })).toEqual({
      model: null,
      allowed_tools: null,
      description: null,
      timeout: null,
    });
  });

  it.each([
    [{ timeout: '-5' }, 'add', 'Invalid timeout: must be a whole number of seconds, at least 1 (got -5)'],
    [{ timeout: '0' }, 'add', 'Invalid timeout: must be a whole number of seconds, at least 1 (got 0)'],
    [{ timeout: '1.5' }, 'add', 'Invalid timeout'],
    [{ timeout: 'ten' }, 'add', 'Invalid timeout: expected a number, got "ten"'],
    [{ max_budget_usd: '-1' }, 'update', 'Invalid max_budget_usd: must be a positive number of US dollars'],
    [{ max_budget_usd: 'Infinity' }, 'add', 'Invalid max_budget_usd: expected a number'],
    [{ permission_mode: 'yolo' }, 'add', 'Invalid permission_mode: must be one of: default, acceptEdits, plan, bypassPermissions, dontAsk, auto, manual (got "yolo")'],
    [{ runtime: 'cursor' }, 'add', 'Invalid runtime: must be one of: claude, codex, gemini, opencode'],
    [{ model: '--dangerously-skip-permissions' }, 'add', 'Invalid model'],
    [{ allowed_tools: '--evil,Read' }, 'add', 'Invalid allowed_tools: a tool name must not start with "-"'],
    [{ allowed_tools: ',,' }, 'update', 'No allowed_tools given'],
    [{ model: 'none' }, 'add', '"none" clears model in update'],
    [{ directory: 'none' }, 'update', 'The directory cannot be cleared'],
    [{ directory: 'a\0b' }, 'add', 'NUL byte'],
  ] as const)('rejects %j in %s', (values, mode, message) => {
    expect(() => parseAgentOptions(values, { mode, ...where })).toThrow(message);
  });
});

describe('resolveDirectoryInput', () => {
  it.each([
    ['~', '/home/ana'],
    ['~/projects/x', '/home/ana/projects/x'],
    ['.', '/work/here'],
    ['sub/dir/', '/work/here/sub/dir'],
    ['/abs/../abs2', '/abs2'],
  ])('resolves %s to %s', (input, expected) => {
    expect(resolveDirectoryInput(input, where)).toBe(expected);
  });

  it.each(['', '   '])('rejects an empty directory %j', (input) => {
    expect(() => resolveDirectoryInput(input, where)).toThrow('The directory is empty.');
  });
});

describe('checkDirectory', () => {
  const root = tempDir();
  mkdirSync(join(root, 'proj'));
  writeFileSync(join(root, 'file.txt'), 'x');
  symlinkSync(join(root, 'loop'), join(root, 'loop'));

  it('accepts an existing directory', () => {
    expect(() => checkDirectory(join(root, 'proj'))).not.toThrow();
  });

  it.each([
    ['a missing directory', 'missing', 'DIRECTORY_NOT_FOUND', /does not exist/],
    ['a path under a file', 'file.txt/sub', 'DIRECTORY_NOT_FOUND', /file\.txt\/sub cannot be reached: a part of its path is a file, not a directory/],
    ['a symbolic link loop', 'loop', 'INVALID_INPUT', /loop is a symbolic link loop/],
    ['a file', 'file.txt', 'INVALID_INPUT', /is a file, not a directory/],
  ])('rejects %s', (_, rel, code, message) => {
    expect(() => checkDirectory(join(root, rel))).toThrow(expect.objectContaining({ code, message: expect.stringMatching(message) }));
  });
});

describe('parseMember', () => {
  it.each([
    ['infra', { agent: 'infra' }],
    ['infra:deploy, logs', { agent: 'infra', use_for: 'deploy, logs' }],
    ['infra: ', { agent: 'infra' }],
    ['infra:a:b', { agent: 'infra', use_for: 'a:b' }],
  ])('reads %j', (spec, expected) => {
    expect(parseMember(spec)).toEqual(expected);
  });

  it('rejects a bad agent name', () => {
    expect(() => parseMember('a b:x')).toThrow('Invalid agent name "a b"');
  });
});
