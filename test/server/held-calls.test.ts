import { describe, expect, it } from 'vitest';
import type { CallToolResult } from '@modelcontextprotocol/server';
import { createHeldCalls } from '../../src/server/held-calls.js';
import type { ApprovalRequest } from '../../src/shared/approvals.js';

const request = (id: string): ApprovalRequest => ({ id, jobId: 'j'.repeat(32), agent: 'alpha', toolName: 'Bash', input: { command: 'ls' }, askedAt: 0, expiresAt: 60_000 }) as ApprovalRequest;
const answerOf = (text: string): CallToolResult => ({ content: [{ type: 'text', text }] });
const never = new AbortController().signal;

// A held run whose end the test decides (`finish`); `abandoned` counts the times a cancelled round stopped it.
function runningCall() {
  const held = createHeldCalls();
  const state = { abandoned: 0 };
  const call = held.create(() => (state.abandoned += 1));
  let finish!: (r: CallToolResult) => void;
  call.settle(new Promise((resolve) => (finish = resolve)));
  return { held, call, finish, state };
}

describe('held calls (multi-round-trip dispatches)', () => {
  it('answers input_required with the form and its requestState as soon as the run asks', async () => {
    const held = createHeldCalls();
    const call = held.create(() => {});
    const round = call.round(never);
    void call.ask(request('r1'), never);
    const first = (await round) as unknown as { resultType: string; requestState: string; inputRequests: Record<string, { method: string; params: { message: string } }> };
    expect(first.resultType).toBe('input_required');
    expect(first.requestState).toBe(call.id);
    expect(first.inputRequests.r1?.method).toBe('elicitation/create');
    expect(first.inputRequests.r1?.params.message).toContain('Agent alpha asks to use Bash');
    expect(held.get(call.id)).toBe(call);
  });

  it.each([
    [{ action: 'accept', content: { decision: 'allow_once' } }, 'allow_once'],
    [{ action: 'accept', content: { decision: 'allow_always' } }, 'allow_always'],
    [{ action: 'decline' }, 'deny'],
    [{ action: 'cancel' }, 'deny'],
    [{ action: 'accept', content: { decision: 'maybe' } }, undefined],
  ])('gives the run the decision a retried round brings (%o → %s)', async (response, decision) => {
    const call = createHeldCalls().create(() => {});
    const asked = call.ask(request('r1'), never);
    expect(call.answer({ r1: response })).toBe(1);
    await expect(asked).resolves.toBe(decision);
  });

  it('ignores answers to questions that are not open', () => {
    const call = createHeldCalls().create(() => {});
    expect(call.answer({ nope: { action: 'accept', content: { decision: 'allow_once' } } })).toBe(0);
    expect(call.answer(undefined)).toBe(0);
  });

  it('ends a round with the run\'s answer once the run is over, and forgets the run then', async () => {
    const { held, call, finish } = runningCall();
    const round = call.round(never);
    finish(answerOf('done'));
    await expect(round).resolves.toEqual(answerOf('done'));
    expect(held.get(call.id)).toBeUndefined();
  });

  it('keeps the answer of a run that ended between rounds for the round that comes back', async () => {
    const { held, call, finish } = runningCall();
    const first = call.round(never);
    void call.ask(request('r1'), never);
    await first;
    finish(answerOf('ended meanwhile'));
    await new Promise((r) => setImmediate(r));
    expect(held.get(call.id)).toBe(call);
    await expect(held.get(call.id)!.round(never)).resolves.toEqual(answerOf('ended meanwhile'));
    expect(held.get(call.id)).toBeUndefined();
  });

  it('withdraws a question the broker decided otherwise (its signal aborted)', async () => {
    const call = createHeldCalls().create(() => {});
    const withdraw = new AbortController();
    const asked = call.ask(request('r1'), withdraw.signal);
    withdraw.abort();
    await expect(asked).resolves.toBeUndefined();
    expect(call.answer({ r1: { action: 'accept', content: { decision: 'allow_once' } } })).toBe(0);
  });

  it('stops the run when a round is cancelled', async () => {
    const { call, finish, state } = runningCall();
    const cancel = new AbortController();
    const round = call.round(cancel.signal);
    cancel.abort();
    expect(state.abandoned).toBe(1);
    finish(answerOf('cancelled'));
    await expect(round).resolves.toEqual(answerOf('cancelled'));
  });

  it('ends a round that a newer round of the same call replaced, and its cancel no longer stops the run', async () => {
    const { call, finish, state } = runningCall();
    const staleCancel = new AbortController();
    const stale = call.round(staleCancel.signal);
    const fresh = call.round(never);
    await expect(stale).resolves.toMatchObject({ isError: true, content: [{ text: expect.stringMatching(/newer round/) }] });
    staleCancel.abort();
    expect(state.abandoned).toBe(0);
    finish(answerOf('done'));
    await expect(fresh).resolves.toEqual(answerOf('done'));
  });

  it('passes the run\'s events to the sink of the round in flight only', async () => {
    const call = createHeldCalls().create(() => {});
    const seen: string[] = [];
    call.onEvent({ type: 'turn' } as never, 'before');
    const round = call.round(never, { onEvent: (_e, line) => seen.push(line ?? '') });
    call.onEvent({ type: 'turn' } as never, 'during');
    void call.ask(request('r1'), never);
    await round;
    call.onEvent({ type: 'turn' } as never, 'after');
    expect(seen).toEqual(['during']);
  });
});
