import { describe, expect, it } from 'vitest';
import { describeRequest, ruleFor } from '../../src/shared/approvals.js';

describe('ruleFor', () => {
  it.each([
    ['Bash', { command: 'npm test' }, 'Bash(npm test)'],
    ['Bash', { command: '  make lint ' }, 'Bash(make lint)'],
    ['Bash', { command: 'echo (x)' }, 'Bash'],
    ['Bash', { command: 'a\nb' }, 'Bash'],
    ['Write', { file_path: '/p/a.txt', content: 'x' }, 'Write'],
    ['mcp__db__query', { sql: 'select 1' }, 'mcp__db__query'],
  ])('gives %s %j the rule %s', (tool, input, rule) => {
    expect(ruleFor(tool, input)).toBe(rule);
  });
});

describe('describeRequest', () => {
  it.each([
    ['Bash', { command: 'rm -rf build', description: 'clean' }, 'command: rm -rf build\ninput: {"command":"rm -rf build","description":"clean"}'],
    ['Write', { file_path: '/p/a.txt', content: 'hello' }, 'file: /p/a.txt\ncontent:\nhello'],
    ['Edit', { file_path: '/p/a.ts', old_string: 'a', new_string: 'b' }, 'file: /p/a.ts\nreplace:\na\nwith:\nb'],
    ['WebFetch', { url: 'https://x' }, 'input: {"url":"https://x"}'],
  ])('shows a %s request as the person must see it', (tool, input, shown) => {
    expect(describeRequest(tool, input)).toBe(shown);
  });

  it('cuts a long edit preview', () => {
    expect(describeRequest('Write', { file_path: '/a', content: 'x'.repeat(5000) }, 100)).toHaveLength('file: /a\ncontent:\n'.length + 100);
  });
});
