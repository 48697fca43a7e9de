// Numbers the reference clamps into range instead of refusing: an out-of-range value is moved to the nearest bound.
import { z } from 'zod';

// A number with a default, clamped to [min, max] after validation (the JSON Schema shows only the type and default).
export function clampedNumber(min: number, max: number, fallback: number, options: { int?: boolean } = {}) {
  const base = options.int === false ? z.number() : z.number().int();
  return base.default(fallback).transform((n) => Math.min(max, Math.max(min, n)));
}

// timeout_seconds of the dispatch tools: 0 keeps the agent's own timeout; anything else is clamped to [10, 7200].
export const timeoutSecondsField = z
  .number()
  .int()
  .default(0)
  .transform((n) => (n === 0 ? 0 : Math.min(7200, Math.max(10, n))));

// summary_chars of return_ref: the summary's maximum length; negative counts as 0 (no preview).
export const summaryCharsField = clampedNumber(0, Number.MAX_SAFE_INTEGER, 500);
