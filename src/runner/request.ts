// Checks on a RunRequest that hold for every runtime, and the effective timeout. Pure.
import { DispatchError } from '../shared/errors.js';
import type { RunRequest } from '../shared/types.js';
import { assertEnv, assertNoNul } from './guard.js';

/** Bounds of a per-call timeout override, in seconds (the reference's 10–7200). */
export const MIN_TIMEOUT_OVERRIDE_S = 10;
export const MAX_TIMEOUT_OVERRIDE_S = 7200;
/** Used when an agent has no usable timeout. */
export const DEFAULT_TIMEOUT_S = 300;

// The timeout of a run: a positive per-call override clamped to 10–7200 s, else the agent's own timeout.
export function effectiveTimeoutSeconds(request: RunRequest): number {
  const override = request.timeoutSeconds;
  if (typeof override === 'number' && Number.isFinite(override) && override > 0) {
    return Math.min(MAX_TIMEOUT_OVERRIDE_S, Math.max(MIN_TIMEOUT_OVERRIDE_S, override));
  }
  const own = request.agent.timeout;
  return typeof own === 'number' && Number.isFinite(own) && own > 0 ? own : DEFAULT_TIMEOUT_S;
}

// Throws DispatchError('INVALID_INPUT') for a request no runtime could run as given.
export function checkRequest(request: RunRequest): void {
  const agent = request?.agent;
  if (!agent || typeof agent.name !== 'string' || agent.name === '') {
    throw new DispatchError('INVALID_INPUT', 'The run request has no agent.', { hint: 'Resolve the agent from the config before running it.' });
  }
  if (typeof agent.directory !== 'string' || agent.directory === '') {
    throw new DispatchError('INVALID_INPUT', `Agent ${agent.name} has no directory.`, {
      hint: `Set it with \`agent-dispatch update ${agent.name} --directory PATH\`.`,
    });
  }
  if (typeof request.task !== 'string' || request.task.trim() === '') {
    throw new DispatchError('INVALID_INPUT', 'The task is empty.', { hint: 'Say what the agent should do.' });
  }
  for (const field of ['task', 'goal', 'caller', 'context'] as const) {
    const value = request[field];
    if (value !== undefined && typeof value !== 'string') throw new DispatchError('INVALID_INPUT', `The ${field} must be text.`);
    if (value !== undefined) assertNoNul(field, value);
  }
  assertNoNul('agent directory', agent.directory);
  assertEnv(agent.env);
}
