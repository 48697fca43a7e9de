import { describe, expect, it } from 'vitest';
import { isDispatchError } from '../../../src/shared/errors.js';
import { newJobId, parseJobId, taskPreview } from '../../../src/jobs/store/rows.js';

describe('job ids', () => {
  it('creates 32 lowercase hex characters, different each time', () => {
    const a = newJobId();
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(newJobId()).not.toBe(a);
  });

  it.each([
    ['0123456789abcdef0123456789abcdef', '0123456789abcdef0123456789abcdef'],
    ['  0123456789ABCDEF0123456789abcdef\n', '0123456789abcdef0123456789abcdef'],
  ])('accepts %j as %s', (input, id) => {
    expect(parseJobId(input)).toBe(id);
  });

  it.each([[''], ['abc'], ['0123456789abcdef0123456789abcdeg'], ['../../etc/passwd'], ['0123456789abcdef0123456789abcdef0'], [42], [null], [undefined]])(
    'rejects %j with INVALID_INPUT',
    (input) => {
      try {
        parseJobId(input);
        expect.unreachable();
      } catch (error) {
        expect(isDispatchError(error) && error.code).toBe('INVALID_INPUT');
        expect((error as Error).message).toMatch(/32 lowercase hex/);
      }
    },
  );
});

describe('task preview', () => {
  it.each([
    ['short task', 'short task'],
    ['x'.repeat(200), 'x'.repeat(200)],
    ['x'.repeat(201), `${'x'.repeat(199)}…`],
  ])('keeps at most 200 characters of %#', (task, preview) => {
    expect(taskPreview(task)).toBe(preview);
  });
});
