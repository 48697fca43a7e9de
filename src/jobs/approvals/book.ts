// Where a broker keeps the permission requests of its run and finds their answers: the local job store, or (for a
// job on a pool worker) the pool's Redis. The broker itself does not care which; it raises, polls, and decides.
import type { ApprovalAnswer, ApprovalRequest } from '../../shared/approvals.js';
import type { JobStore, RaiseApprovalInput } from '../store/types.js';
import { submitApprovalDecision, type AllowAlways, type AnswerOutcome } from './answer.js';

/** The requests of one job and their answers; the first answer wins. */
export interface ApprovalBook {
  raise(input: RaiseApprovalInput): Promise<ApprovalRequest>;
  /** The request as it stands now (decided or not); undefined when it is unknown. */
  read(requestId: string): Promise<ApprovalRequest | undefined>;
  /** Decide it for this run (rule, timeout, run end, or a caller the broker asked itself). */
  decide(requestId: string, answer: ApprovalAnswer): Promise<AnswerOutcome>;
}

// The book of a local job: its rows in the SQLite job store (every other answering path writes there too).
export function storeBook(store: JobStore, jobId: string, allowAlways?: AllowAlways): ApprovalBook {
  return {
    raise: async (input) => store.raiseApproval(jobId, input),
    // One row per poll: a run with many large requests must not make every poll parse them all.
    read: async (requestId) => store.approval(jobId, requestId),
    decide: (requestId, answer) => submitApprovalDecision({ store, ...(allowAlways ? { allowAlways } : {}) }, jobId, requestId, answer),
  };
}
