import { describe, expect, it } from 'vitest';
import { approvalElicitation, askCallerOf, decisionOf } from '../../src/server/ask-caller.js';

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

describe('askCallerOf', () => {
  const request = { id: 'abcdef12', jobId: 'f'.repeat(32), agent: 'api', toolName: 'Bash', input: { command: 'ls' }, askedAt: 0, expiresAt: 300_000 };
  // A ServerContext that records what was sent and answers as the client would.
  const ctxOf = (era: 'legacy' | 'modern', capabilities: Record<string, unknown> | undefined) => {
    const sent: unknown[] = [];
    const mcp = { mcpReq: { elicitInput: async (params: unknown) => (sent.push(params), { action: 'accept', content: { decision: 'allow_always' } }) } };
    return { sent, ctx: { era, clientCapabilities: capabilities, signal: new AbortController().signal, mcp } as unknown as Parameters<typeof askCallerOf>[0] };
  };

  it.each([
    ['a 2025-11-25 client without elicitation', 'legacy', {}],
    ['a 2025-11-25 client whose capabilities are unknown', 'legacy', undefined],
    ['a 2026-07-28 call, where elicitInput throws', 'modern', { elicitation: {} }],
  ] as const)('gives no AskCaller to %s', (_name, era, capabilities) => {
    expect(askCallerOf(ctxOf(era, capabilities).ctx).askCaller).toBeUndefined();
  });

  it('elicits through the v2 context on a 2025-11-25 call whose client declared elicitation', async () => {
    const { ctx, sent } = ctxOf('legacy', { elicitation: {} });
    const ask = askCallerOf(ctx).askCaller!;
    await expect(ask(request, new AbortController().signal)).resolves.toBe('allow_always');
    expect(sent).toEqual([approvalElicitation(request)]);
  });
});
