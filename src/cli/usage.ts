// Bad usage (a flag's value outside what it accepts) as its own error, so it exits 2 like commander's own
// usage errors instead of 1; the README promises that split.
import { isDispatchError } from '../shared/errors.js';

/** A command line the user must change: exit code 2, message and hint on stderr. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

// Run a check of flag values; its INVALID_INPUT errors become usage errors (other failures pass through).
export function asUsage<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (isDispatchError(error) && error.code === 'INVALID_INPUT') throw new UsageError(error.message, error.hint);
    throw error;
  }
}

// A whole number from `min` to `max` given to `flag`, else a usage error.
export function wholeNumberFlag(flag: string, text: string, min: number, max: number, hint?: string): number {
  const value = /^\d{1,9}$/.test(text.trim()) ? Number(text) : NaN;
  if (!(value >= min && value <= max)) throw new UsageError(`${flag} must be a whole number from ${min} to ${max}; got "${text}".`, hint);
  return value;
}
