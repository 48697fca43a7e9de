// The long text inputs are bounded in UTF-8 bytes, below the 10 MiB a message may take: a tool refuses a bigger
// one with an error naming the field, through a real MCP client.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_MESSAGE_BYTES, MAX_TEXT_INPUT_BYTES } from '../../src/server/limits.js';
import { connect, fakeDispatcher } from './fakes.js';

const dispatcher = fakeDispatcher();
const requests = () => dispatcher.requests.length;
let session: Awaited<ReturnType<typeof connect>>;
beforeAll(async () => (session = await connect({ dispatcher })));
afterAll(async () => session?.close());

const textOf = (result: Record<string, unknown>) => ((result.content as { text: string }[])[0]?.text ?? '');

describe('long text inputs', () => {
  it('leaves room for task and context together in one message', () => {
    expect(2 * MAX_TEXT_INPUT_BYTES).toBeLessThan(MAX_MESSAGE_BYTES - 1024 * 1024);
  });

  it.each([
    ['task', { task: 'é'.repeat(2_500_000) }, 'task takes 4.8 MiB in UTF-8, over the 4.0 MiB limit'],
    ['context', { task: 'go', context: '日'.repeat(1_500_000) }, 'context takes 4.3 MiB in UTF-8, over the 4.0 MiB limit'],
  ])('refuses a %s under the character limit but over 4 MiB in UTF-8', async (_, args, message) => {
    const before = requests();
    const result = await session.client.callTool({ name: 'dispatch', arguments: { agent: 'alpha', ...args } });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain(message);
    expect(requests()).toBe(before);
  });

  it('accepts a task of exactly 4 MiB', async () => {
    const result = await session.client.callTool({ name: 'dispatch', arguments: { agent: 'alpha', task: 'y'.repeat(MAX_TEXT_INPUT_BYTES) } });
    expect(result.isError).toBeFalsy();
  });
});
