// Faults of the job database under a running `agent-dispatch serve`: a file corrupted or deleted between calls
// gives a clear error or a fresh database, never a dead server; bad job ids get clear errors.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { AGENT_DISPATCH_BIN, assertBuilt, sleepingAgentEnv } from '../support/product.js';
import { isAlive } from './procs.js';

let dir: string;
let db: string;
let client: Client;
let pid: number;

beforeAll(async () => {
  assertBuilt();
  dir = mkdtempSync(join(tmpdir(), 'ad-e2e-faults-'));
  mkdirSync(join(dir, 'alpha'));
  db = join(dir, 'state', 'jobs.db');
  const env = sleepingAgentEnv(dir, { agents: { alpha: { directory: join(dir, 'alpha') } }, settings: { cache: { enabled: false } } }, { FIXTURE_SLEEP_MS: '10' });
  client = new Client({ name: 'e2e-faults', version: '1' });
  const transport = new StdioClientTransport({ command: process.execPath, args: [AGENT_DISPATCH_BIN, 'serve'], env, stderr: 'pipe' });
  await client.connect(transport);
  pid = transport.pid!;
});

afterAll(async () => {
  await client?.close();
  rmSync(dir, { recursive: true, force: true });
});

const call = async (name: string, args: Record<string, unknown> = {}) => (await client.callTool({ name, arguments: args })) as CallToolResult;
const textOf = (res: CallToolResult) => res.content.map((c) => (c.type === 'text' ? c.text : '')).join('');

async function dispatchOk(): Promise<string> {
  const res = await call('dispatch', { agent: 'alpha', task: 'work' });
  expect(res.isError, textOf(res)).toBeFalsy();
  return (res.structuredContent as { job_id: string }).job_id;
}

describe('job database faults under a running server', () => {
  it('gives clear errors for malformed and unknown job ids', async () => {
    for (const tool of ['dispatch_status', 'dispatch_wait', 'dispatch_cancel']) {
      const malformed = await call(tool, { job_id: 'not-a-job' });
      expect(malformed.isError).toBe(true);
      expect(textOf(malformed)).toContain('Malformed job id "not-a-job": a job id is 32 lowercase hex characters.');
      const unknown = await call(tool, { job_id: '0'.repeat(32) });
      expect(textOf(unknown)).toContain(`No job with id ${'0'.repeat(32)}.`);
    }
    expect(textOf(await call('fetch_result', { ref: 'x' }))).toContain('Malformed job id');
  });

  it('moves a corrupted database aside with a clear error, then works on a fresh one', async () => {
    const before = await dispatchOk();
    // Move every page into the main file first (a fresh database lives in its WAL), then damage it in place.
    const other = new Database(db);
    other.pragma('wal_checkpoint(TRUNCATE)');
    other.close();
    writeFileSync(db, Buffer.alloc(64 * 1024, 0x5a));

    const first = await call('dispatch_jobs');
    expect(first.isError).toBe(true);
    expect(textOf(first)).toMatch(/^The job database .*jobs\.db was corrupt; it was moved to .*jobs\.db\.corrupt-\S+ and a fresh one is used from now on\./);
    const second = await call('dispatch_jobs');
    expect(second.isError, textOf(second)).toBeFalsy();
    expect(second.structuredContent).toMatchObject({ jobs: [] });
    expect(readdirSync(join(dir, 'state')).some((name) => name.includes('.corrupt-'))).toBe(true);
    expect(isAlive(pid)).toBe(true);

    const after = await dispatchOk();
    const status = await call('dispatch_status', { job_id: after });
    expect(status.structuredContent).toMatchObject({ status: 'done' });
    expect(textOf(await call('dispatch_status', { job_id: before }))).toContain('No job with id');
  });

  it('recreates a deleted database file and keeps serving', async () => {
    await dispatchOk();
    for (const suffix of ['', '-wal', '-shm']) rmSync(db + suffix, { force: true });
    const list = await call('dispatch_jobs');
    expect(list.isError, textOf(list)).toBeFalsy();
    expect(list.structuredContent).toMatchObject({ jobs: [] });
    expect(existsSync(db)).toBe(true);
    const id = await dispatchOk();
    expect((await call('dispatch_status', { job_id: id })).structuredContent).toMatchObject({ status: 'done' });
    expect(isAlive(pid)).toBe(true);
  });
});
