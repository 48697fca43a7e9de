// Pure helpers of the pages: formatting, escaping, chart scales.
import { describe, expect, it } from 'vitest';
import { axisLabel, dayChart, niceStep, shortDay } from '../../src/web/chart.js';
import { clip, formatCount, formatDuration, formatPercent, formatUsd } from '../../src/web/format.js';
import { escapeHtml, html, raw } from '../../src/web/html.js';

describe('formatting', () => {
  it.each([
    [undefined, '–'],
    [0, '$0'],
    [0.0008, '$0.0008'],
    [0.25, '$0.25'],
    [12.345, '$12.35'],
  ])('formatUsd(%s) = %s', (value, expected) => expect(formatUsd(value)).toBe(expected));

  it.each([
    [undefined, '–'],
    [-1, '–'],
    [850, '850 ms'],
    [12_340, '12.3 s'],
    [245_000, '4 m 05 s'],
    [7_380_000, '2 h 03 m'],
  ])('formatDuration(%s) = %s', (ms, expected) => expect(formatDuration(ms)).toBe(expected));

  it.each([
    [1, 2, '50 %'],
    [2, 3, '67 %'],
    [0, 0, '–'],
  ])('formatPercent(%s, %s) = %s', (part, whole, expected) => expect(formatPercent(part, whole)).toBe(expected));

  it.each([
    [999, '999'],
    [1234, '1.2k'],
    [45_000, '45k'],
    [3_400_000, '3.4M'],
  ])('formatCount(%s) = %s', (n, expected) => expect(formatCount(n)).toBe(expected));

  it.each([
    [undefined, 5, ''],
    ['short', 10, 'short'],
    ['a  b\n c', 10, 'a b c'],
    ['abcdefghij', 5, 'abcd…'],
  ])('clip(%j, %s) = %j', (text, max, expected) => expect(clip(text, max)).toBe(expected));
});

describe('the html tag', () => {
  it.each([
    ['<b>&"\'', '&lt;b&gt;&amp;&quot;&#39;'],
    ['plain', 'plain'],
  ])('escapes %j', (text, expected) => expect(escapeHtml(text)).toBe(expected));

  it('escapes values, keeps Html, joins arrays and drops null, undefined and false', () => {
    const out = html`<p title="${'"x"'}">${'<i>'}${raw('<b>ok</b>')}${[1, html`<br>`, null]}${undefined}${false}</p>`;
    expect(out.value).toBe('<p title="&quot;x&quot;">&lt;i&gt;<b>ok</b>1<br></p>');
  });
});

describe('the day chart', () => {
  it.each([
    [0, 1],
    [0.9, 0.5],
    [1.2, 0.5],
    [3, 1],
    [0.004, 0.001],
    [37, 10],
  ])('niceStep(%s) = %s', (max, expected) => expect(niceStep(max)).toBeCloseTo(expected, 10));

  it.each([
    [0.5, 0.5, '$0.5'],
    [2, 1, '$2'],
    [0.002, 0.001, '$0.002'],
  ])('axisLabel(%s, step %s) = %s', (value, step, expected) => expect(axisLabel(value, step)).toBe(expected));

  it.each([
    ['2026-03-04', 'Mar 4'],
    ['2025-12-31', 'Dec 31'],
    ['garbage', 'garbage'],
  ])('shortDay(%s) = %s', (day, expected) => expect(shortDay(day)).toBe(expected));

  it('stacks one rect per agent and day, and draws the budget line', () => {
    const svg = dayChart({
      days: ['2026-03-03', '2026-03-04'],
      series: [
        { name: 'a', color: '#111', values: [0.5, 0] },
        { name: '<b>', color: '#222', values: [0.25, 1] },
      ],
      budget: 1,
    }).value;
    expect(svg.match(/<rect /g)).toHaveLength(3);
    expect(svg).toContain('&lt;b&gt; · 2026-03-04: $1.0000');
    expect(svg).toContain('data-total="0.750000"');
    expect(svg).toContain('class="budget"');
  });

  it('draws an empty chart without dividing by zero', () => {
    const svg = dayChart({ days: ['2026-03-04'], series: [] }).value;
    expect(svg).not.toContain('NaN');
    expect(svg).not.toContain('Infinity');
  });
});
