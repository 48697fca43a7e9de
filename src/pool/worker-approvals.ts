// A pool worker's side of approvals "ask" (issue 18): the run's broker on this host, as for a local job (the
// relay reaches it over a local 0600 socket), with its book in Redis. "Asking someone" is writing the request
// where the dispatching side reads it (its job channel carries the request event at once) and reading the
// decision when `ad:decided` names the job (a poll every 500 ms covers a missed message). The broker's own clock
// denies it after approval_timeout, so a caller that went away never hangs the agent. "Allow always" is applied
// to this host's agents.yaml, where the agent that asked is defined.
import type { Redis } from 'ioredis';
import { applyAllowAlways, type AllowAlways } from '../jobs/approvals/answer.js';
import type { ApprovalBook } from '../jobs/approvals/book.js';
import { openApprovalBroker, type ApprovalBroker } from '../jobs/approvals/broker.js';
import type { Logger } from '../shared/log.js';
import type { RunEvent, ServeRemoteRelay } from '../shared/types.js';
import { decidePoolApproval, newRunSecret, notePoolDecision, raisePoolApproval, readPoolApproval, sha1 } from './approvals.js';
import { K } from './keys.js';

/** What a worker needs to relay its agents' requests. */
export interface WorkerApprovals {
  /** Starts this CLI again (`__approval-relay` is appended). */
  relayCommand: readonly string[];
  /** The state directory (the run's socket goes in its approvals/ folder). */
  dir: string;
  /** Edits this host's agents.yaml for "allow always". */
  allowAlways?: AllowAlways;
  logger: Logger;
  /** Serves the relay over HTTP for agents on SSH hosts (see ApprovalRelay.remote). */
  serveRemote?: ServeRemoteRelay;
}

// The book of one job on this worker: its own decisions carry the run's worker secret.
function redisBook(redis: Redis, jobId: string, agent: string, secret: string, allowAlways?: AllowAlways): ApprovalBook {
  const applied = new Set<string>();
  return {
    raise: (input) => raisePoolApproval(redis, jobId, agent, input),
    async read(requestId) {
      const request = await readPoolApproval(redis, jobId, requestId);
      if (request?.decision !== 'allow_always' || applied.has(requestId)) return request;
      applied.add(requestId);
      // The dispatching side chose "allow always": the rule goes into this host's config, and the note says so.
      const { note, decision } = await applyAllowAlways(allowAlways, { ...request, agent });
      return notePoolDecision(redis, request, note, decision);
    },
    decide: (requestId, answer) => decidePoolApproval(redis, jobId, requestId, answer, secret),
  };
}

// Open the broker of one run: write this run's worker key to the record first, so its own decisions count.
export async function openPoolBroker(redis: Redis, deps: WorkerApprovals, job: { id: string; agent: string; timeoutMs: number; notify: (event: RunEvent) => void; remote?: boolean }): Promise<ApprovalBroker> {
  const secret = newRunSecret();
  await redis.hset(K.job(job.id), 'workerKey', sha1(secret));
  return openApprovalBroker({
    book: redisBook(redis, job.id, job.agent, secret, deps.allowAlways),
    jobId: job.id,
    dir: deps.dir,
    relayCommand: deps.relayCommand,
    timeoutMs: job.timeoutMs,
    notify: job.notify,
    logger: deps.logger,
    // The decision's pub/sub message makes the broker look at once; this poll only covers a missed message.
    pollMs: 500,
    ...(job.remote && deps.serveRemote ? { serveRemote: deps.serveRemote } : {}),
  });
}
