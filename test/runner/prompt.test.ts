import { describe, expect, it } from 'vitest';
import { buildPrompt } from '../../src/runner/prompt.js';

describe('buildPrompt', () => {
  it.each([
    [{ task: 'do it' }, 'do it'],
    [{ task: '-starts with a dash\n$(rm -rf /) "quoted"' }, '-starts with a dash\n$(rm -rf /) "quoted"'],
    [{ task: '  spaced  ', goal: '  ', caller: '' }, '  spaced  '],
    [{ task: 'T', goal: 'G' }, '## Goal\nG\n\n## Task\nT'],
    [{ task: 'T', caller: 'backend' }, '## Dispatched by\nbackend\n\n## Task\nT'],
    [{ task: 'T', context: 'C' }, '## Context\nC\n\n## Task\nT'],
    [{ task: 'T', goal: 'G', caller: 'B', context: 'C' }, '## Goal\nG\n\n## Dispatched by\nB\n\n## Context\nC\n\n## Task\nT'],
    [{ task: ' T \n', goal: ' G \n' }, '## Goal\nG\n\n## Task\n T \n'],
  ])('builds %j', (parts, expected) => {
    expect(buildPrompt(parts)).toBe(expected);
  });
});
