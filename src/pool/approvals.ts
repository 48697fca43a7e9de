// Permission requests of pool jobs (approvals "ask", issue 18) in Redis. The worker's broker raises a request and
// waits for its answer here; the calling side (serve or the CLI that dispatched the job) reads and answers it.
//
// Layout: `ad:appr:<job>` is a HASH with `<request id>` → the request as JSON (never rewritten) and
// `<request id>:d` → its decision as JSON (the first one wins); the job's record counts open requests in
// `approvalsPending`, so lists show input_required without reading requests.
//
// Who may answer: a decision counts only with a secret whose SHA-1 is one of two the record holds: `answerKey`,
// written by the dispatching side (its secret derives from a key file in its state directory, so the same user's
// `serve`, CLI and dashboard on that machine can answer, and no other pool client can), or `workerKey`, the
// running worker's own per-run secret (its timeouts, "allow always" rules and run ends). SHA-1 is what Redis's Lua
// offers; for a 256-bit random secret its preimage resistance is what matters, and it holds. Anyone who can write
// to this Redis could rewrite the keys themselves: the pool's Redis is trusted (README, "Security").
import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { approvalInputJson, checkAnswer, MAX_PENDING_APPROVALS, tooManyPending, type ApprovalAnswer, type ApprovalRequest } from '../shared/approvals.js';
import { DispatchError } from '../shared/errors.js';
import type { AnswerOutcome } from '../jobs/approvals/answer.js';
import type { RaiseApprovalInput } from '../jobs/store/types.js';
import { K } from './keys.js';

// Record a request of a running job with fewer than ARGV[3] requests waiting (-1 when it has that many); the
// hash lives as long as the job's record.
const RAISE_SCRIPT = `
local s = redis.call('HGET', KEYS[1], 'status')
if s ~= 'running' and s ~= 'pending' then return 0 end
if tonumber(redis.call('HGET', KEYS[1], 'approvalsPending') or '0') >= tonumber(ARGV[3]) then return -1 end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('HINCRBY', KEYS[1], 'approvalsPending', 1)
local ttl = redis.call('TTL', KEYS[1])
if ttl > 0 then redis.call('EXPIRE', KEYS[2], ttl) end
return 1`;

// Decide a request: the secret first, then first answer wins, then only while the job runs; then tell the workers
// (the one running the job looks at once instead of at its next poll).
const DECIDE_SCRIPT = `
if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 0 then return {'missing'} end
local h = redis.sha1hex(ARGV[2])
if h ~= redis.call('HGET', KEYS[1], 'answerKey') and h ~= redis.call('HGET', KEYS[1], 'workerKey') then return {'forbidden'} end
local d = redis.call('HGET', KEYS[2], ARGV[1] .. ':d')
if d then return {'already', d} end
local s = redis.call('HGET', KEYS[1], 'status')
if s ~= 'running' and s ~= 'pending' then return {'ended', s} end
redis.call('HSET', KEYS[2], ARGV[1] .. ':d', ARGV[3])
redis.call('HINCRBY', KEYS[1], 'approvalsPending', -1)
redis.call('PUBLISH', ARGV[4], ARGV[5])
return {'decided', ARGV[3]}`;

type Decision = Pick<ApprovalRequest, 'decision' | 'decidedBy' | 'how' | 'note' | 'decidedAt'>;

const merge = (request: string, decision: string | null | undefined): ApprovalRequest => ({ ...(JSON.parse(request) as ApprovalRequest), ...(decision ? (JSON.parse(decision) as Decision) : {}) });

/** SHA-1 hex, as the Redis scripts compare it (redis.sha1hex). */
export const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');

// A new per-run secret (256 random bits, hex).
export function newRunSecret(): string {
  return randomBytes(32).toString('hex');
}

// Record a request of a running job (the worker's broker); throws when the job has ended or the input is too big.
export async function raisePoolApproval(redis: Redis, jobId: string, agent: string, input: RaiseApprovalInput, now = Date.now()): Promise<ApprovalRequest> {
  const json = approvalInputJson(input.toolName, input.input);
  const request: ApprovalRequest = { id: randomBytes(4).toString('hex'), jobId, agent, toolName: input.toolName, input: JSON.parse(json) as unknown, ...(input.toolUseId ? { toolUseId: input.toolUseId } : {}), askedAt: now, expiresAt: input.expiresAt };
  const ok = await redis.eval(RAISE_SCRIPT, 2, K.job(jobId), K.approvals(jobId), request.id, JSON.stringify(request), String(MAX_PENDING_APPROVALS));
  if (ok === -1) throw tooManyPending(jobId);
  if (ok !== 1) throw new DispatchError('INVALID_INPUT', `Job ${jobId} has ended; it cannot ask for approval.`);
  return request;
}

// One request with its decision, if any.
export async function readPoolApproval(redis: Redis, jobId: string, requestId: string): Promise<ApprovalRequest | undefined> {
  const [request, decision] = await redis.hmget(K.approvals(jobId), requestId, `${requestId}:d`);
  return request ? merge(request, decision) : undefined;
}

// Every request of a job, oldest first (pendingOnly: those without a decision).
export async function listPoolApprovals(redis: Redis, jobId: string, pendingOnly = false): Promise<ApprovalRequest[]> {
  const all = await redis.hgetall(K.approvals(jobId));
  return Object.entries(all)
    .filter(([field]) => !field.endsWith(':d'))
    .map(([field, request]) => merge(request, all[`${field}:d`]))
    .filter((r) => !pendingOnly || r.decision === undefined)
    .sort((a, b) => a.askedAt - b.askedAt || a.id.localeCompare(b.id));
}

// Answer a request with a secret the record accepts; the first answer wins, later ones get it back.
export async function decidePoolApproval(redis: Redis, jobId: string, rawRequestId: string, answer: ApprovalAnswer, secret: string, now = Date.now()): Promise<AnswerOutcome> {
  const requestId = checkAnswer(rawRequestId, answer);
  const decision: Decision = { decision: answer.decision, decidedBy: answer.decidedBy, how: answer.how, ...(answer.note ? { note: answer.note } : {}), decidedAt: now };
  const [outcome, detail] = (await redis.eval(DECIDE_SCRIPT, 2, K.job(jobId), K.approvals(jobId), requestId, secret, JSON.stringify(decision), K.decidedChannel, jobId)) as [string, string?];
  if (outcome === 'missing') throw new DispatchError('INVALID_INPUT', `Job ${jobId} has no permission request ${requestId}.`, { hint: 'See the pending requests with dispatch_status or `agent-dispatch jobs show ID`.' });
  if (outcome === 'forbidden') {
    throw new DispatchError('INVALID_INPUT', `Only the side that dispatched job ${jobId} can answer its permission requests, and this process does not hold its answer key.`, { hint: 'Answer from the serve, CLI or dashboard of the user and machine that dispatched it.' });
  }
  if (outcome === 'ended') throw new DispatchError('INVALID_INPUT', `Job ${jobId} has ended (${detail}); its request ${requestId} can no longer be answered.`);
  const request = (await readPoolApproval(redis, jobId, requestId))!;
  return { outcome: outcome === 'decided' ? 'decided' : 'already_decided', request };
}

// Replace a decision's note (the worker saying what "allow always" did on its host).
export async function notePoolDecision(redis: Redis, request: ApprovalRequest, note: string, decision = request.decision): Promise<ApprovalRequest> {
  const updated: Decision = { decision, decidedBy: request.decidedBy, how: request.how, note, decidedAt: request.decidedAt };
  await redis.hset(K.approvals(request.jobId), `${request.id}:d`, JSON.stringify(updated));
  return { ...request, ...updated };
}
