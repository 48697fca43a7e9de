import { describe, expect, it } from 'vitest';
import { buildPrompt, promptSections } from '../../src/runner/prompt.js';

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

describe('promptSections', () => {
  it.each([
    [{ task: 'just do it' }, [['Task', 'just do it']]],
    [{ task: 't', goal: ' g \n', caller: '  ' }, [['Goal', 'g'], ['Task', 't']]],
    // Headings inside a part are only text: nothing is split back apart.
    [{ task: 't', caller: 'c', context: 'x\n\n## Goal\ny' }, [['Dispatched by', 'c'], ['Context', 'x\n\n## Goal\ny'], ['Task', 't']]],
    [{ task: '## Task\nnested', goal: 'g', caller: 'c', context: 'k' }, [['Goal', 'g'], ['Dispatched by', 'c'], ['Context', 'k'], ['Task', '## Task\nnested']]],
  ])('lists the sections of %j in prompt order', (parts, expected) => {
    expect(promptSections(parts).map((s) => [s.title, s.body])).toEqual(expected);
  });

  it('is what buildPrompt joins', () => {
    const parts = { task: 'T', goal: 'G', caller: 'B', context: 'C' };
    expect(promptSections(parts).map((s) => `## ${s.title}\n${s.body}`).join('\n\n')).toBe(buildPrompt(parts));
  });
});
