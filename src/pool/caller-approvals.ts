// The dispatching side of pool approvals (issue 18): the worker's broker writes each permission request to Redis
// and says so on the job's channel. A synchronous dispatch whose caller can answer (askCaller: an MCP elicitation)
// puts it to the caller and writes the answer back; any job's open requests show in its record (input_required),
// and `reply` answers them (dispatch_reply, `jobs approve|deny`, the dashboard). Every answer carries this side's
// secret for the job (answer-key.ts), whose hash each job record holds.
import type { Redis } from 'ioredis';
import type { AnswerOutcome } from '../jobs/approvals/answer.js';
import type { JobRecord } from '../jobs/types.js';
import type { ApprovalAnswer, ApprovalRequest, AskCaller } from '../shared/approvals.js';
import type { RunEvent } from '../shared/types.js';
import { decidePoolApproval, listPoolApprovals, readPoolApproval, sha1 } from './approvals.js';
import type { AnswerSecret } from './answer-key.js';
import { toJobRecord, type RecordFields } from './records.js';

/** What the pool dispatcher uses. */
export interface CallerApprovals {
  /** The hash a new job's record keeps of this side's secret. */
  answerKey(jobId: string): string;
  /** A job channel's messages for one dispatch: requests go to `askCaller`; a decision or the end withdraws them. */
  asker(jobId: string, askCaller: AskCaller): (event: RunEvent | undefined, ended: boolean) => void;
  /** A record as the contract shapes it, with its open requests when it has any. */
  withApprovals(f: RecordFields): Promise<JobRecord>;
  reply(jobId: string, requestId: string, answer: ApprovalAnswer, now: number): Promise<AnswerOutcome>;
  list(jobId: string): Promise<ApprovalRequest[]>;
}

// Build it on the dispatcher's connection.
export function createCallerApprovals(redis: Redis, answerSecret: AnswerSecret): CallerApprovals {
  // Put one request to the caller and write its answer; no answer (or a failure) leaves it to the other paths.
  const askOnce = async (jobId: string, requestId: string, askCaller: AskCaller, signal: AbortSignal) => {
    try {
      const request = await readPoolApproval(redis, jobId, requestId);
      if (!request || request.decision !== undefined) return;
      const decision = await askCaller(request, signal);
      if (decision && !signal.aborted) await decidePoolApproval(redis, jobId, requestId, { decision, decidedBy: 'caller', how: 'elicitation' }, answerSecret(jobId));
    } catch {
      // The caller went away or the job ended: the worker's clock denies the request in time.
    }
  };

  return {
    answerKey: (jobId) => sha1(answerSecret(jobId)),
    asker(jobId, askCaller) {
      const asking = new Map<string, AbortController>();
      return (event, ended) => {
        if (event?.type === 'approval_request') {
          const controller = new AbortController();
          const requestId = event.requestId;
          asking.set(requestId, controller);
          void askOnce(jobId, requestId, askCaller, controller.signal).finally(() => asking.delete(requestId));
        }
        if (event?.type === 'approval_decision') asking.get(event.requestId)?.abort();
        if (ended) for (const controller of asking.values()) controller.abort();
      };
    },
    async withApprovals(f) {
      const job = toJobRecord(f);
      if (Number(f.approvalsPending ?? 0) > 0 && f.status === 'running') {
        const pending = await listPoolApprovals(redis, f.id!, true);
        if (pending.length > 0) job.pendingApprovals = pending;
      }
      return job;
    },
    reply: (jobId, requestId, answer, now) => decidePoolApproval(redis, jobId, requestId, answer, answerSecret(jobId), now),
    list: (jobId) => listPoolApprovals(redis, jobId),
  };
}
