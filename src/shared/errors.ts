// Local failures as one small coded error class. server/ turns it into tool-error text,
// cli/ into a message and an exit code; nothing below them formats errors for a person.

/** Codes for local (non-agent) failures. */
export type DispatchErrorCode =
  | 'CONFIG_INVALID'
  | 'CONFIG_WRITE_FAILED'
  | 'AGENT_NOT_FOUND'
  | 'AGENT_EXISTS'
  | 'GROUP_NOT_FOUND'
  | 'GROUP_EXISTS'
  | 'INVALID_INPUT'
  | 'DIRECTORY_NOT_FOUND'
  | 'CLAUDE_NOT_FOUND'
  | 'JOB_NOT_FOUND'
  | 'STORE_UNAVAILABLE'
  | 'BUDGET_EXCEEDED'
  | 'SPAWN_FAILED'
  | 'GIT_FAILED'
  | 'WORKTREE_NOT_FOUND'
  | 'MERGE_REFUSED'
  | 'QUEUE_UNAVAILABLE';

/** A local failure with a stable code and an optional hint that says how to fix it. */
export class DispatchError extends Error {
  readonly code: DispatchErrorCode;
  readonly hint: string | undefined;

  constructor(code: DispatchErrorCode, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DispatchError';
    this.code = code;
    this.hint = options.hint;
  }
}

// True for our own coded errors, false for anything else (bugs, fs errors).
export function isDispatchError(value: unknown): value is DispatchError {
  return value instanceof DispatchError;
}
