import { describe, expect, it } from 'vitest';
import { ProgressTracker, describeToolInput, oneLine } from '../../src/shared/progress.js';

describe('describeToolInput', () => {
  it.each([
    ['Bash', { command: 'npm test' }, 'Bash: npm test'],
    ['Read', { file_path: '/a/b.ts' }, 'Read: /a/b.ts'],
    ['Grep', { pattern: 'TODO', path: 'src' }, 'Grep: src'],
    ['mcp__db__query', { sql: 'select 1' }, 'mcp__db__query: select 1'],
    ['Task', {}, 'Task'],
    ['Weird', null, 'Weird'],
  ])('describes %s with %j as %s', (name, input, expected) => {
    expect(describeToolInput(name, input)).toBe(expected);
  });
});

describe('oneLine', () => {
  it('folds whitespace and cuts long text with an ellipsis', () => {
    expect(oneLine('a\n\n  b')).toBe('a b');
    expect(oneLine('x'.repeat(20), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});

describe('ProgressTracker', () => {
  it('counts tool calls as turns and keeps a rolling tail', () => {
    const tracker = new ProgressTracker(() => 42);
    tracker.update({ type: 'init', model: 'opus' });
    expect(tracker.update({ type: 'tool_use', id: '1', name: 'Bash', input: { command: 'ls' } })).toBe('turn 1 · Bash: ls');
    tracker.update({ type: 'text', text: 'Looking at files' });
    tracker.update({ type: 'result', ok: true, text: 'done', costUsd: 0.04, numTurns: 2 });
    expect(tracker.current()).toMatchObject({ turns: 2, lastTool: 'Bash: ls', lastText: 'Looking at files', costUsd: 0.04, updatedAt: 42 });
    expect(tracker.current().tail).toEqual(['started (opus)', 'turn 1 · Bash: ls', 'Looking at files', 'finished']);
  });

  it('keeps at most twenty lines', () => {
    const tracker = new ProgressTracker();
    for (let i = 0; i < 30; i++) tracker.update({ type: 'text', text: `line ${i}` });
    expect(tracker.current().tail).toHaveLength(20);
    expect(tracker.current().tail.at(-1)).toBe('line 29');
  });
});
