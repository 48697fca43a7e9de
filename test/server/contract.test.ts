// The reference's documented tool contract: clamped numbers, `id` on jobs, summary_chars as a maximum,
// dispatch_gc refusing an age of 0.
import { describe, expect, it } from 'vitest';
import { inlineText, preview } from '../../src/views/dispatch-result.js';
import { connect, fakeDispatcher, runResult } from './fakes.js';

type Structured = Record<string, any>;

describe('summary_chars', () => {
  it.each([
    ['abcdef', 10, 'abcdef'],
    ['abcdef', 6, 'abcdef'],
    ['abcdef', 5, 'abcd…'],
    ['abcdef', 1, '…'],
    ['abcdef', 0, ''],
    ['', 0, ''],
    ['a😀bc', 3, 'a…'],
  ])('previews %j in at most %i characters as %j', (text, chars, expected) => {
    const out = preview(text, chars);
    expect(out).toBe(expected);
    expect(out.length).toBeLessThanOrEqual(chars);
  });

  it.each([0, 1, 7, 499, 500])('never gives a summary longer than summary_chars=%i through the tool', async (chars) => {
    const { client, close } = await connect({ dispatcher: fakeDispatcher(() => runResult({ text: 'y'.repeat(600) })) });
    const res = await client.callTool({ name: 'dispatch', arguments: { agent: 'alpha', task: 'hi', return_ref: true, summary_chars: chars } });
    const data = res.structuredContent as Structured;
    expect(data.summary.length).toBeLessThanOrEqual(chars);
    expect(data).toMatchObject({ size: 600, summary_chars: chars });
    await close();
  });

  it('counts a negative summary_chars as 0', async () => {
    const { client, close } = await connect();
    const res = await client.callTool({ name: 'dispatch', arguments: { agent: 'alpha', task: 'hi', return_ref: true, summary_chars: -5 } });
    expect(res.structuredContent).toMatchObject({ summary: '', summary_chars: 0 });
    await close();
  });
});

describe('inline answers', () => {
  it.each([
    ['short', 100, undefined],
    ['€'.repeat(100), 300, undefined],
  ])('leave %j alone within %i bytes', (text, max, expected) => {
    expect(inlineText(text, max, 'j')).toBe(expected);
  });

  it('cut on a character boundary, within the byte limit, and say where the rest is', () => {
    const out = inlineText('😀'.repeat(1000), 400, 'abc') as string;
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(400);
    expect(out).toMatch(/^(😀)+\n\n\[agent-dispatch: the answer is 2000 characters; this is the start of it; fetch_result\(ref="abc"\) returns all of it\]$/);
  });
});

describe('clamped numbers', () => {
  it.each([
    [5, 10],
    [-3, 10],
    [10, 10],
    [600, 600],
    [7200, 7200],
    [999_999, 7200],
  ])('timeout_seconds=%i runs with %i', async (given, used) => {
    const dispatcher = fakeDispatcher();
    const { client, close } = await connect({ dispatcher });
    const res = await client.callTool({ name: 'dispatch', arguments: { agent: 'alpha', task: 'hi', timeout_seconds: given } });
    expect(res.isError).toBeFalsy();
    expect(dispatcher.requests[0]?.timeoutSeconds).toBe(used);
    await close();
  });

  it('keeps timeout_seconds=0 as "the agent\'s own timeout"', async () => {
    const dispatcher = fakeDispatcher();
    const { client, close } = await connect({ dispatcher });
    await client.callTool({ name: 'dispatch', arguments: { agent: 'alpha', task: 'hi', timeout_seconds: 0 } });
    expect(dispatcher.requests[0]?.timeoutSeconds).toBeUndefined();
    await close();
  });

  it('clamps a parallel item\'s timeout_seconds too', async () => {
    const dispatcher = fakeDispatcher();
    const { client, close } = await connect({ dispatcher });
    await client.callTool({ name: 'dispatch_parallel', arguments: { dispatches: [{ agent: 'alpha', task: 'a', timeout_seconds: 1 }] } });
    expect(dispatcher.requests[0]?.timeoutSeconds).toBe(10);
    await close();
  });

  it.each([
    [5000, 1000],
    [0, 1],
    [-7, 1],
    [20, 20],
  ])('dispatch_jobs limit=%i lists with limit %i', async (given, used) => {
    const dispatcher = fakeDispatcher();
    const limits: number[] = [];
    const jobs = dispatcher.jobs;
    dispatcher.jobs = (filter) => (limits.push(filter.limit), jobs(filter));
    const { client, close } = await connect({ dispatcher });
    const res = await client.callTool({ name: 'dispatch_jobs', arguments: { limit: given } });
    expect(res.isError).toBeFalsy();
    expect(limits).toEqual([used]);
    await close();
  });

  it.each([
    [99_999, 3_600_000],
    [-1, 0],
    [2.5, 2500],
  ])('dispatch_wait timeout_seconds=%d waits %i ms at most', async (given, ms) => {
    const dispatcher = fakeDispatcher();
    const waits: number[] = [];
    const job = await dispatcher.start({ agent: 'alpha', task: 'x' });
    dispatcher.wait = async (id, timeoutMs) => (waits.push(timeoutMs), { job: await dispatcher.status(id), timedOut: true });
    const { client, close } = await connect({ dispatcher });
    const res = await client.callTool({ name: 'dispatch_wait', arguments: { job_id: job.id, timeout_seconds: given } });
    expect(res.isError).toBeFalsy();
    expect(waits).toEqual([ms]);
    await close();
  });
});

describe('jobs carry the reference\'s id', () => {
  it('in dispatch_jobs, dispatch_status and dispatch_wait, next to job_id', async () => {
    const dispatcher = fakeDispatcher();
    const { client, close } = await connect({ dispatcher });
    const done = await client.callTool({ name: 'dispatch', arguments: { agent: 'alpha', task: 'hi' } });
    const id = (done.structuredContent as Structured).job_id as string;
    const listed = (await client.callTool({ name: 'dispatch_jobs', arguments: {} })).structuredContent as Structured;
    expect(listed.jobs[0]).toMatchObject({ id, job_id: id });
    expect((await client.callTool({ name: 'dispatch_status', arguments: { job_id: id } })).structuredContent).toMatchObject({ id, job_id: id });
    expect((await client.callTool({ name: 'dispatch_wait', arguments: { job_id: id } })).structuredContent).toMatchObject({ id, job_id: id });
    await close();
  });
});

describe('dispatch_gc', () => {
  it('refuses max_age_days 0 and deletes nothing, but accepts a fraction of a day', async () => {
    const dispatcher = fakeDispatcher();
    const ages: number[] = [];
    dispatcher.gc = (days) => (ages.push(days), 3);
    const { client, close } = await connect({ dispatcher });
    const zero = await client.callTool({ name: 'dispatch_gc', arguments: { max_age_days: 0 } });
    expect(zero.isError).toBe(true);
    expect(ages).toEqual([]);
    const half = await client.callTool({ name: 'dispatch_gc', arguments: { max_age_days: 0.5 } });
    expect(half.structuredContent).toEqual({ purged: 3 });
    expect(ages).toEqual([0.5]);
    await close();
  });
});

describe('dispatch_dialogue with huge messages', () => {
  it('keeps the whole answer within the inline limit, each cut message marked and pointing at its job', async () => {
    const big = `${'z'.repeat(3 * 1024 * 1024)} [RESOLVED]`;
    const { client, close } = await connect({ dispatcher: fakeDispatcher((r) => runResult({ agent: r.agent, text: big })) });
    const res = await client.callTool({ name: 'dispatch_dialogue', arguments: { requester: 'alpha', responder: 'beta', topic: 'x' } });
    const data = res.structuredContent as Structured;
    expect(data.resolved).toBe(true);
    expect(Buffer.byteLength(JSON.stringify(data))).toBeLessThan(4 * 1024 * 1024 + 10_000);
    expect(data.conversation[0]).toMatchObject({ truncated: true, message: expect.stringMatching(/fetch_result\(ref="[0-9a-f]{32}"\) returns all of it\]$/) });
    expect(data.final_answer).toMatch(/^z+\n\n\[agent-dispatch: the answer is \d+ characters/);
    await close();
  });
});
