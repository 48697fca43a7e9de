// Where the sign-in form may send a browser afterwards: a path of this server only.
import { describe, expect, it } from 'vitest';
import { safeNext } from '../../src/web/signin.js';

describe('safeNext', () => {
  it.each([
    ['/', '/'],
    ['/jobs?agent=alpha&state=done', '/jobs?agent=alpha&state=done'],
    ['/jobs/0123abcd', '/jobs/0123abcd'],
    ['https://evil.example/', '/'],
    ['//evil.example/path', '/'],
    ['/\\evil.example', '/'],
    ['javascript:alert(1)', '/'],
    ['jobs', '/'],
    ['/\nSet-Cookie: x=1', '/'],
    ['/\u007f', '/'],
    [`/${'x'.repeat(2001)}`, '/'],
    [undefined, '/'],
    [['/a'], '/'],
  ])('%j → %j', (value, expected) => expect(safeNext(value)).toBe(expected));
});
