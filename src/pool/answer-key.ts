// The dispatching side's answer key (approvals "ask" in the pool): one random key per user and machine, in a
// 0600 file in the state directory. A job's answer secret is HMAC(key, job id), so `serve`, the CLI and the
// dashboard of that user on that machine can all answer the requests of the jobs they dispatched, without a file
// per job; the job's record holds only the secret's hash (approvals.ts).
import { createHmac, randomBytes } from 'node:crypto';
import { linkSync, lstatSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ownProblem } from '../shared/own-path.js';

/** A job's answer secret. */
export type AnswerSecret = (jobId: string) => string;

// Secrets from a key held in memory (tests, or a process with no state directory).
export function answerSecretFrom(key: Buffer): AnswerSecret {
  return (jobId) => createHmac('sha256', key).update(jobId).digest('hex');
}

// Secrets from the key file, made on first use. Made by link(2) from a whole temp file, so a concurrent process
// either wins the race or reads the winner's complete key.
export function fileAnswerSecret(path: string): AnswerSecret {
  let key: Buffer | undefined;
  const load = (): Buffer => {
    try {
      checkPrivate(path);
      const text = readFileSync(path, 'utf8').trim();
      if (/^[0-9a-f]{64}$/.test(text)) return Buffer.from(text, 'hex');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
    writeFileSync(temp, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
    try {
      linkSync(temp, path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      rmSync(temp, { force: true });
    }
    checkPrivate(path);
    const text = readFileSync(path, 'utf8').trim();
    if (!/^[0-9a-f]{64}$/.test(text)) throw new Error(`${path} does not hold an answer key (64 hex digits); delete it and a new one is made`);
    return Buffer.from(text, 'hex');
  };
  return (jobId) => answerSecretFrom((key ??= load()))(jobId);
}

// The key file must be this user's own regular file that nobody else can read: a key another user planted or
// could read would let them answer this user's requests. Throws ENOENT (as readFileSync would) when it is missing.
function checkPrivate(path: string): void {
  const problem = ownProblem(lstatSync(path), { type: 'file', closedTo: 0o077 });
  if (problem === undefined) return;
  const what =
    problem.kind === 'owner'
      ? `belongs to another user (uid ${problem.uid})`
      : problem.kind === 'type'
        ? 'is not a regular file'
        : `is readable by others (mode ${problem.mode.toString(8)})`;
  throw new Error(`the pool answer key ${path} ${what}; delete it and a new one is made`);
}
