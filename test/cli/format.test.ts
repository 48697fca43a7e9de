import { describe, expect, it } from 'vitest';
import { colorEnabled, paint, plural, renderFields, renderTable, tildify, truncate } from '../../src/cli/format.js';

describe('colorEnabled', () => {
  it.each([
    [true, {}, true],
    [false, {}, false],
    [undefined, {}, false],
    [true, { NO_COLOR: '1' }, false],
    [true, { NO_COLOR: '' }, true],
    [false, { FORCE_COLOR: '1' }, true],
    [true, { FORCE_COLOR: '0' }, false],
    [false, { FORCE_COLOR: '1', NO_COLOR: '1' }, false],
  ])('isTTY %s with %j gives %s', (isTTY, env, expected) => {
    expect(colorEnabled({ isTTY }, env)).toBe(expected);
  });
});

describe('formatting', () => {
  it.each([
    ['abc', 5, 'abc'],
    ['abcdef', 4, 'abc…'],
    ['a\nb\tc', 10, 'a b c'],
    ['héllo wörld', 6, 'héllo…'],
    ['🙂🙂🙂', 2, '🙂…'],
  ])('truncates %j to %i', (text, max, expected) => {
    expect(truncate(text, max)).toBe(expected);
  });

  it.each([
    ['/home/a/x', '/home/a', '~/x'],
    ['/home/a', '/home/a', '~'],
    ['/home/ab', '/home/a', '/home/ab'],
    ['/x', '/', '/x'],
  ])('tildifies %s', (path, home, expected) => {
    expect(tildify(path, home)).toBe(expected);
  });

  it('paints only when colour is on', () => {
    expect(paint('x', 'red', false)).toBe('x');
    expect(paint('x', 'red', true)).toBe('\u001b[31mx\u001b[39m');
  });

  it('pads columns and styles cells without breaking alignment', () => {
    expect(renderTable(['A', 'LONGER'], [['x', 'y'], [{ text: 'wide cell', style: 'red' }, 'z']], { color: false })).toBe('A          LONGER\nx          y\nwide cell  z\n');
    const colored = renderTable(['A', 'B'], [[{ text: 'x', style: 'green' }, 'y']], { color: true });
    expect(colored).toBe('\u001b[1mA\u001b[22m  \u001b[1mB\u001b[22m\n\u001b[32mx\u001b[39m  y\n');
  });

  it('renders aligned fields and plurals', () => {
    expect(renderFields([['a', '1'], ['long', '2']], false)).toBe('  a     1\n  long  2\n');
    expect([plural(1, 'agent'), plural(2, 'agent'), plural(0, 'group')]).toEqual(['1 agent', '2 agents', '0 groups']);
  });
});
