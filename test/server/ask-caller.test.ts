import { describe, expect, it } from 'vitest';
import { approvalElicitation, decisionOf } from '../../src/server/ask-caller.js';

describe('decisionOf', () => {
  it.each([
    [{ action: 'accept', content: { decision: 'allow_once' } }, 'allow_once'],
    [{ action: 'accept', content: { decision: 'allow_always' } }, 'allow_always'],
    [{ action: 'accept', content: { decision: 'deny' } }, 'deny'],
    [{ action: 'decline' }, 'deny'],
    [{ action: 'cancel' }, 'deny'],
    [{ action: 'accept', content: { decision: 'sure' } }, undefined],
    [{ action: 'accept' }, undefined],
  ])('reads %j as %s', (result, decision) => {
    expect(decisionOf(result)).toBe(decision);
  });
});

describe('approvalElicitation', () => {
  it('shows the agent, the tool, its exact input and the three choices', () => {
    const form = approvalElicitation({ id: 'abcdef12', jobId: 'f'.repeat(32), agent: 'api', toolName: 'Bash', input: { command: 'npm publish' }, askedAt: 0, expiresAt: 300_000 });
    expect(form.message).toContain('Agent api asks to use Bash');
    expect(form.message).toContain('command: npm publish');
    const choices = (form.requestedSchema.properties.decision as { oneOf: { const: string; title: string }[] }).oneOf;
    expect(choices.map((c) => c.const)).toEqual(['allow_once', 'allow_always', 'deny']);
    expect(choices[1]!.title).toContain('Bash(npm publish)');
  });
});
