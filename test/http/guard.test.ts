// The loopback guard's pure checks.
import { describe, expect, it } from 'vitest';
import { bearerToken, isAllowedHost, isAllowedOrigin, sameSecret } from '../../src/http/guard.js';

describe('isAllowedHost', () => {
  it.each([
    ['127.0.0.1:7788', true],
    ['localhost:7788', true],
    ['LocalHost:7788', true],
    ['127.0.0.1', false],
    ['127.0.0.1:77880', false],
    ['evil.example:7788', false],
    ['127.0.0.1.evil.example:7788', false],
    ['[::1]:7788', false],
    ['0.0.0.0:7788', false],
    ['', false],
    [undefined, false],
  ])('%j on port 7788: %s', (host, expected) => expect(isAllowedHost(host, 7788)).toBe(expected));

  it('accepts a bare name on port 80, where browsers omit the port', () => {
    expect(isAllowedHost('localhost', 80)).toBe(true);
  });
});

describe('isAllowedOrigin', () => {
  it.each([
    [undefined, true],
    ['http://127.0.0.1:7788', true],
    ['http://localhost:7788', true],
    ['https://127.0.0.1:7788', false],
    ['http://127.0.0.1:7789', false],
    ['http://evil.example', false],
    ['null', false],
    ['', false],
  ])('%j on port 7788: %s', (origin, expected) => expect(isAllowedOrigin(origin, 7788)).toBe(expected));
});

describe('bearerToken', () => {
  it.each([
    ['Bearer abc', 'abc'],
    ['bearer   abc ', 'abc'],
    ['Basic abc', undefined],
    ['Bearer', undefined],
    ['Bearer a b', undefined],
    [undefined, undefined],
  ])('%j → %j', (header, expected) => expect(bearerToken(header)).toBe(expected));
});

describe('sameSecret', () => {
  it.each([
    ['secret', 'secret', true],
    ['secreT', 'secret', false],
    ['secret-longer', 'secret', false],
    ['', 'secret', false],
    [undefined, 'secret', false],
  ])('%j vs %j: %s', (given, expected, result) => expect(sameSecret(given, expected)).toBe(result));
});
