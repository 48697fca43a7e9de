// The Redis book of pool approvals, in process against a real private redis-server: who may answer, the first
// answer wins, the open-request count, and the answer key file.
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerSecretFrom, fileAnswerSecret } from '../../src/pool/answer-key.js';
import { decidePoolApproval, listPoolApprovals, newRunSecret, raisePoolApproval, readPoolApproval, sha1 } from '../../src/pool/approvals.js';
import type { Redis } from 'ioredis';
import { openRedis } from '../../src/pool/connect.js';
import { K } from '../../src/pool/keys.js';
import { parseQueueUrl } from '../../src/shared/queue-url.js';
import { MAX_PENDING_APPROVALS } from '../../src/shared/approvals.js';
import { HAVE_REDIS, startRedis, type TestRedis } from './support.js';

let redis: TestRedis;
let conn: Redis;
let tmp: string;
const caller = newRunSecret();
const workerSecret = newRunSecret();

// A running job whose record holds the caller's and the worker's key hashes.
async function runningJob(id: string, status = 'running') {
  await conn.hset(K.job(id), { id, status, answerKey: sha1(caller), workerKey: sha1(workerSecret) });
  await conn.expire(K.job(id), 600);
}
const raise = (id: string) => raisePoolApproval(conn, id, 'api', { toolName: 'Bash', input: { command: 'ls' }, expiresAt: Date.now() + 60_000 });
const allow = { decision: 'allow_once' as const, decidedBy: 'cli', how: 'jobs approve' };

describe.skipIf(!HAVE_REDIS)('pool approvals in Redis', () => {
  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'ad-pool-appr-'));
    redis = await startRedis();
    conn = await openRedis(parseQueueUrl(redis.url), { name: 'test' });
  }, 30_000);
  afterAll(async () => {
    await conn?.quit();
    await redis?.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('counts an open request on the record and lives as long as the record', async () => {
    await runningJob('j1');
    const request = await raise('j1');
    expect(request).toMatchObject({ jobId: 'j1', agent: 'api', toolName: 'Bash', input: { command: 'ls' } });
    expect(await conn.hget(K.job('j1'), 'approvalsPending')).toBe('1');
    expect(await conn.ttl(K.approvals('j1'))).toBeGreaterThan(0);
    expect(await listPoolApprovals(conn, 'j1', true)).toEqual([request]);
  });

  it(`denies a request beyond ${MAX_PENDING_APPROVALS} waiting at once in one job, as the local store does`, async () => {
    await runningJob('j7');
    for (let i = 0; i < MAX_PENDING_APPROVALS; i += 1) await raise('j7');
    await expect(raise('j7')).rejects.toThrow(/already has 16 requests waiting/);
    expect(await conn.hget(K.job('j7'), 'approvalsPending')).toBe(String(MAX_PENDING_APPROVALS));
  });

  it('refuses an answer without a key the record holds, and keeps the request open', async () => {
    await runningJob('j2');
    const request = await raise('j2');
    await expect(decidePoolApproval(conn, 'j2', request.id, allow, newRunSecret())).rejects.toThrow(/Only the side that dispatched job j2/);
    await expect(decidePoolApproval(conn, 'j2', request.id, allow, '')).rejects.toThrow(/Only the side/);
    expect((await readPoolApproval(conn, 'j2', request.id))?.decision).toBeUndefined();
  });

  it('takes the first answer, from the caller or the worker, and hands it back to later ones', async () => {
    await runningJob('j3');
    const request = await raise('j3');
    const first = await decidePoolApproval(conn, 'j3', request.id, allow, caller);
    expect(first).toMatchObject({ outcome: 'decided', request: { decision: 'allow_once', decidedBy: 'cli', how: 'jobs approve' } });
    const late = await decidePoolApproval(conn, 'j3', request.id, { decision: 'deny', decidedBy: 'timeout', how: 'no answer' }, workerSecret);
    expect(late).toMatchObject({ outcome: 'already_decided', request: { decision: 'allow_once' } });
    expect(await conn.hget(K.job('j3'), 'approvalsPending')).toBe('0');
    const other = await raise('j3');
    expect((await decidePoolApproval(conn, 'j3', other.id, { decision: 'deny', decidedBy: 'timeout', how: 'no answer' }, workerSecret)).outcome).toBe('decided');
  });

  it.each([
    ['a malformed request id', 'nothex!', allow, /Malformed request id/],
    ['an unknown request', 'abcdef01', allow, /has no permission request abcdef01/],
    ['an unknown decision', 'abcdef01', { ...allow, decision: 'maybe' }, /Unknown decision "maybe"/],
  ])('rejects %s with a clear error', async (_what, id, answer, error) => {
    await runningJob('j4');
    await expect(decidePoolApproval(conn, 'j4', id, answer as typeof allow, caller)).rejects.toThrow(error);
  });

  it('refuses to raise or answer once the job has ended', async () => {
    await runningJob('j5');
    const request = await raise('j5');
    await conn.hset(K.job('j5'), 'status', 'done');
    await expect(raise('j5')).rejects.toThrow(/has ended/);
    await expect(decidePoolApproval(conn, 'j5', request.id, allow, caller)).rejects.toThrow(/has ended \(done\)/);
  });

  it('derives one secret per job from a 0600 key file that every process of the user shares', () => {
    const path = join(tmp, 'state', 'pool-answer.key');
    const a = fileAnswerSecret(path);
    const b = fileAnswerSecret(path);
    expect(a('job1')).toBe(b('job1'));
    expect(a('job1')).not.toBe(a('job2'));
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(a('job1')).toBe(answerSecretFrom(Buffer.from(readFileSync(path, 'utf8').trim(), 'hex'))('job1'));
    const broken = join(tmp, 'broken.key');
    writeFileSync(broken, 'not a key', { mode: 0o600 });
    expect(() => fileAnswerSecret(broken)('job1')).toThrow(/does not hold an answer key/);
    // A key others can read, or one that is a link to somewhere else, is never used.
    const open = join(tmp, 'open.key');
    writeFileSync(open, `${'ab'.repeat(32)}\n`, { mode: 0o644 });
    chmodSync(open, 0o644);
    expect(() => fileAnswerSecret(open)('job1')).toThrow(/is readable by others \(mode 644\)/);
    const link = join(tmp, 'link.key');
    symlinkSync(path, link);
    expect(() => fileAnswerSecret(link)('job1')).toThrow(/is not a regular file/);
  });
});
