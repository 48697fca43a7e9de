import { describe, expect, it } from 'vitest';
import { checkRequest, effectiveTimeoutSeconds } from '../../src/runner/request.js';
import type { ResolvedAgent, RunRequest } from '../../src/shared/types.js';

const agent: ResolvedAgent = { name: 'a', directory: '/p', description: '', runtime: 'claude', timeout: 300 };

describe('effectiveTimeoutSeconds', () => {
  it.each([
    [undefined, 300, 300],
    [0, 300, 300],
    [-5, 300, 300],
    [5, 300, 10],
    [60, 300, 60],
    [99999, 300, 7200],
    [Number.NaN, 120, 120],
    [undefined, 0.5, 0.5],
    [undefined, 0, 300],
  ])('override %s with agent timeout %s gives %s', (override, own, expected) => {
    expect(effectiveTimeoutSeconds({ agent: { ...agent, timeout: own }, task: 't', ...(override === undefined ? {} : { timeoutSeconds: override }) })).toBe(expected);
  });
});

describe('checkRequest', () => {
  it('accepts a plain request', () => {
    expect(() => checkRequest({ agent, task: 'hello' })).not.toThrow();
  });

  it.each<[string, unknown, RegExp]>([
    ['no agent', { task: 't' }, /no agent/],
    ['no directory', { agent: { ...agent, directory: '' }, task: 't' }, /no directory/],
    ['an empty task', { agent, task: '  ' }, /task is empty/],
    ['a task that is not text', { agent, task: 42 }, /task is empty/],
    ['a NUL in the task', { agent, task: 'a\0b' }, /task contains a NUL/],
    ['a NUL in the context', { agent, task: 't', context: '\0' }, /context contains a NUL/],
    ['a goal that is not text', { agent, task: 't', goal: {} }, /goal must be text/],
    ['a bad env name', { agent: { ...agent, env: { 'A=B': 'x' } }, task: 't' }, /not valid/],
    ['a NUL in an env value', { agent: { ...agent, env: { A: 'x\0' } }, task: 't' }, /NUL/],
  ])('rejects %s', (_title, request, message) => {
    expect(() => checkRequest(request as RunRequest)).toThrow(message);
  });
});
