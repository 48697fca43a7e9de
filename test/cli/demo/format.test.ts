// The demo's pure formatting helpers.
import { describe, expect, it } from 'vitest';
import { clip, describeView, duration, usd } from '../../../src/cli/demo/format.js';

describe('demo formatting', () => {
  it.each([
    ['short', 10, 'short'],
    ['two\n  lines', 20, 'two lines'],
    ['abcdefghijkl', 5, 'abcd…'],
  ])('clips %j to %i characters', (input, max, expected) => {
    expect(clip(input, max)).toBe(expected);
  });

  it.each([
    [0.0008, '$0.0008'],
    [1.5, '$1.5000'],
    [undefined, '$0.0000'],
    [Number.NaN, '$0.0000'],
  ])('prints %s dollars as %s', (value, expected) => {
    expect(usd(value)).toBe(expected);
  });

  it.each([
    [812.4, '812 ms'],
    [2345, '2.3 s'],
    ['x', '0 ms'],
  ])('prints %s ms as %s', (value, expected) => {
    expect(duration(value)).toBe(expected);
  });

  it('describes a successful dispatch with its answer, job id, cost, duration and turns', () => {
    expect(describeView({ agent: 'alpha', success: true, result: 'port 8123', job_id: 'abc', cost_usd: 0.0008, duration_ms: 900, num_turns: 1 })).toBe(
      'alpha answered "port 8123"\n      job abc · $0.0008 · 900 ms · 1 turn(s)',
    );
  });

  it('describes a failed dispatch with its error type', () => {
    expect(describeView({ agent: 'alpha', success: false, error: 'bad key', error_type: 'auth', cost_usd: 0, duration_ms: 10, num_turns: 1 })).toMatch(/^alpha FAILED \(auth\): bad key\n/);
  });
});
