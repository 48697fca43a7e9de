import { describe, expect, it } from 'vitest';
import { cacheKey, fingerprint, type CacheKeyParts } from '../../src/cache/key.js';

const base: CacheKeyParts = { agent: 'infra', task: 'check logs', agentFingerprint: 'f1' };

describe('cacheKey', () => {
  it.each<[string, Partial<CacheKeyParts>]>([
    ['task', { task: 'other' }],
    ['context', { context: 'x' }],
    ['caller', { caller: 'backend' }],
    ['goal', { goal: 'ship' }],
    ['group', { group: 'shop' }],
    ['response format', { responseFormat: 'json' }],
    ['agent config', { agentFingerprint: 'f2' }],
    ['project state', { projectState: 'abc:dirty' }],
    ['agent', { agent: 'db' }],
  ])('changes when the %s changes', (_name, change) => {
    expect(cacheKey({ ...base, ...change })).not.toBe(cacheKey(base));
  });

  it('treats a missing field and an empty one alike', () => {
    expect(cacheKey({ ...base, context: '' })).toBe(cacheKey(base));
  });

  it('does not confuse fields whose concatenations match', () => {
    expect(cacheKey({ ...base, task: 'ab', context: 'c' })).not.toBe(cacheKey({ ...base, task: 'a', context: 'bc' }));
  });
});

describe('fingerprint', () => {
  it('ignores key order and undefined values', () => {
    expect(fingerprint({ a: 1, b: [1, 2], c: undefined })).toBe(fingerprint({ b: [1, 2], a: 1 }));
  });

  it('changes with any value', () => {
    expect(fingerprint({ a: 1 })).not.toBe(fingerprint({ a: 2 }));
  });
});
