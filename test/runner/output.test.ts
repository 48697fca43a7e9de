import { describe, expect, it } from 'vitest';
import { capText, TailBuffer } from '../../src/runner/output.js';

describe('capText', () => {
  it.each([
    ['short', 10, 'short', undefined],
    ['0123456789', 10, '0123456789', undefined],
  ])('keeps %j under a cap of %i bytes', (text, max, expected, truncated) => {
    expect(capText(text, max)).toEqual(truncated === undefined ? { text: expected } : { text: expected, truncated });
  });

  it('cuts long text and says how much was kept of how much', () => {
    const result = capText('a'.repeat(100), 10);
    expect(result.truncated).toEqual({ fullBytes: 100 });
    expect(result.text).toBe(`${'a'.repeat(10)}\n\n[agent-dispatch: output truncated, kept the first 10 of 100 bytes]`);
  });

  it('never cuts inside a multi-byte character', () => {
    const result = capText('€'.repeat(10), 8); // 3 bytes each: 2 fit
    expect(result.text.startsWith('€€\n')).toBe(true);
    expect(result.text).toContain('kept the first 6 of 30 bytes');
  });

  it('counts bytes, not characters', () => {
    expect(capText('ééééé', 9).truncated).toEqual({ fullBytes: 10 });
  });
});

describe('TailBuffer', () => {
  it('keeps everything under the cap', () => {
    const tail = new TailBuffer(10);
    tail.push(Buffer.from('abc'));
    tail.push(Buffer.from('def'));
    expect(tail.toString()).toBe('abcdef');
  });

  it('keeps only the last bytes of a flood', () => {
    const tail = new TailBuffer(8);
    for (let i = 0; i < 1000; i += 1) tail.push(Buffer.from(`line ${i}\n`));
    expect(tail.toString()).toBe('ine 999\n');
    expect(tail.totalBytes).toBeGreaterThan(8000);
  });

  it('keeps the end of one chunk larger than the cap', () => {
    const tail = new TailBuffer(4);
    tail.push(Buffer.from('0123456789'));
    expect(tail.toString()).toBe('6789');
  });

  it('drops a character cut at the start of the tail', () => {
    const tail = new TailBuffer(4);
    tail.push(Buffer.from('x€ab')); // € is 3 bytes: the tail starts in its middle
    expect(tail.toString()).toBe('ab');
  });
});
