// Input fields shared by several tools, with the checks that give a model an actionable message.
import { z } from 'zod';
import { timeoutSecondsField } from './clamp.js';
import { formatBytes, MAX_TEXT_INPUT_BYTES } from './limits.js';

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

// A string without lone UTF-16 surrogates and within a size limit.
export function text(max: number, what: string) {
  return z
    .string()
    .max(max, `${what} is longer than ${max} characters; shorten it or pass the bulk as a file path`)
    .refine((s) => !LONE_SURROGATE.test(s), `${what} contains a lone UTF-16 surrogate; send valid Unicode`);
}

// A long text input (task, context): at most MAX_TEXT_INPUT_BYTES in UTF-8, so that it fits in a message.
export function longText(what: string) {
  const limit = formatBytes(MAX_TEXT_INPUT_BYTES);
  return text(MAX_TEXT_INPUT_BYTES, what).refine(
    // Past the character limit the byte count is over too; that check has already said so.
    (s) => s.length > MAX_TEXT_INPUT_BYTES || Buffer.byteLength(s, 'utf8') <= MAX_TEXT_INPUT_BYTES,
    { error: (issue) => `${what} takes ${formatBytes(Buffer.byteLength(issue.input as string, 'utf8'))} in UTF-8, over the ${limit} limit; pass the bulk as a file path` },
  );
}

/** Agent name field. */
export const agentName = text(200, 'agent');

/** The fields every dispatch tool takes. */
export const dispatchFields = {
  agent: agentName,
  task: longText('task').refine((s) => s.trim().length > 0, 'task is empty; say what the agent should do'),
  context: longText('context').default(''),
  caller: text(500, 'caller').default(''),
  goal: text(4_000, 'goal').default(''),
  response_format: text(100_000, 'response_format').default(''),
  timeout_seconds: timeoutSecondsField,
};

/** Optional group field. */
export const groupField = text(200, 'group').default('');

/** Job id / ref field. */
export const jobIdField = text(100, 'job_id');

/** Worktree isolation of a dispatch (issue 19): none, or a fresh git worktree from base_ref (default HEAD).
 *  No enum in the schema (tools/list is capped); the dispatch description names the values, the refine checks them. */
export const isolationFields = {
  isolation: z
    .string()
    .refine((s) => s === 'none' || s === 'worktree', 'isolation must be "none" or "worktree"')
    .optional() as unknown as z.ZodOptional<z.ZodType<'none' | 'worktree'>>,
  base_ref: z.string().refine((s) => s.length <= 200 && !s.startsWith('-'), 'base_ref must be a branch, tag or commit name').optional(),
};

/** Approvals of one dispatch (issue 18): "ask" relays the agent's permission requests to the caller. A refine, not
 *  an enum, for the same reason as isolation. */
export const approvalsField = {
  approvals: z
    .string()
    .refine((s) => s === 'ask' || s === 'deny', 'approvals must be "ask" or "deny"')
    .optional() as unknown as z.ZodOptional<z.ZodType<'ask' | 'deny'>>,
};
