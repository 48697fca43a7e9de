// A 20 MiB answer through the real runner, dispatch service and job store: the inline text is cut and says so,
// the job keeps all of it for return_ref and fetch_result, and `size` is the true length.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { DEFAULT_INLINE_BYTES } from '../../src/views/dispatch-result.js';
import { silentLogger } from '../../src/shared/log.js';
import { createRig, type Rig } from '../jobs/service-harness.js';
import { fakeCatalog, serveInProcess } from './fakes.js';

type Structured = Record<string, any>;
const SIZE = 20 * 1024 * 1024;

let rig: Rig;
let client: Client;

beforeAll(async () => {
  rig = createRig({ runner: 'claude-flood.mjs', env: { FIXTURE_STDERR_BYTES: '0', FIXTURE_RESULT_BYTES: String(SIZE) } });
  const served = serveInProcess({ dispatcher: rig.service, catalog: fakeCatalog(['api', 'web']), logger: silentLogger });
  client = new Client({ name: 'test', version: '1' });
  await client.connect(served.transport);
});

afterAll(async () => {
  await client?.close();
  await rig?.cleanup();
});

describe('a 20 MiB answer', () => {
  it('comes back cut inline, with a note, truncated: true and the full size', async () => {
    const res = await client.callTool({ name: 'dispatch', arguments: { agent: 'api', task: 'big' } });
    const data = res.structuredContent as Structured;
    expect(res.isError).toBeFalsy();
    expect(data).toMatchObject({ success: true, truncated: true, full_size: SIZE });
    expect(Buffer.byteLength(data.result as string)).toBeLessThanOrEqual(DEFAULT_INLINE_BYTES);
    expect(data.result).toMatch(/^r+\n\n\[agent-dispatch: the answer is 20971520 characters; this is the start of it; fetch_result\(ref="[0-9a-f]{32}"\) returns all of it\]$/);
    const full = await client.callTool({ name: 'fetch_result', arguments: { ref: data.job_id } });
    expect((full.structuredContent as Structured).result).toHaveLength(SIZE);
    expect((full.structuredContent as Structured).truncated).toBeUndefined();
  });

  it('keeps all of it behind a ref, whose size is the true length', async () => {
    const res = await client.callTool({ name: 'dispatch', arguments: { agent: 'api', task: 'big, by ref', return_ref: true, summary_chars: 100 } });
    const data = res.structuredContent as Structured;
    expect(data).toMatchObject({ ref: expect.stringMatching(/^[0-9a-f]{32}$/), size: SIZE, summary_chars: 100 });
    expect(data.summary).toHaveLength(100);
    expect(data.truncated).toBeUndefined();
    const cut = await client.callTool({ name: 'fetch_result', arguments: { ref: data.ref, max_chars: 10 } });
    expect(cut.structuredContent).toMatchObject({ result: 'r'.repeat(10), truncated: true, full_size: SIZE });
    const full = await client.callTool({ name: 'fetch_result', arguments: { ref: data.ref } });
    expect((full.structuredContent as Structured).result).toBe('r'.repeat(SIZE));
  });

  it('is cut the same way in dispatch_status', async () => {
    const res = await client.callTool({ name: 'dispatch', arguments: { agent: 'web', task: 'big again', return_ref: true } });
    const status = await client.callTool({ name: 'dispatch_status', arguments: { job_id: (res.structuredContent as Structured).ref } });
    const job = status.structuredContent as Structured;
    expect(job).toMatchObject({ id: job.job_id, status: 'done', result: { truncated: true, full_size: SIZE } });
    expect(Buffer.byteLength(job.result.result as string)).toBeLessThanOrEqual(DEFAULT_INLINE_BYTES);
  });
});
