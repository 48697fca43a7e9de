// Server-side SVG charts: a stacked bar per day (one colour per agent) with the daily budget as a dashed line.
// Pure functions of their input, so they render the same with or without script.
import { html, type Html } from './html.js';

/** Series colours, in order of first appearance; the last one repeats. */
export const PALETTE = ['#4263eb', '#f59f00', '#12b886', '#e64980', '#7950f2', '#15aabf', '#fd7e14', '#82c91e', '#be4bdb', '#868e96'];

/** One stacked series. */
export interface Series {
  name: string;
  color: string;
  /** One value per day, aligned with `days`. */
  values: number[];
}

/** What the day chart draws. */
export interface DayChart {
  /** Oldest first, YYYY-MM-DD. */
  days: string[];
  series: Series[];
  /** Daily cap in dollars (settings.daily_budget_usd). */
  budget?: number;
  width?: number;
  height?: number;
}

// A round axis step giving about `ticks` steps up to `max`: 1, 2 or 5 times a power of ten (pure).
export function niceStep(max: number, ticks = 4): number {
  if (!(max > 0)) return 1;
  const raw = max / ticks;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  return step;
}

// "$1.50", "$0.004" (axis labels: as short as the step allows) (pure).
export function axisLabel(value: number, step: number): string {
  const decimals = step >= 1 ? 0 : Math.min(6, Math.ceil(-Math.log10(step)));
  return `$${value.toFixed(decimals)}`;
}

// "Mar 4" from "2026-03-04" (pure).
export function shortDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  if (!y || !m || !d) return day;
  return `${new Date(Date.UTC(y, m - 1, d)).toLocaleString('en', { month: 'short', timeZone: 'UTC' })} ${d}`;
}

// The stacked day chart.
export function dayChart(input: DayChart): Html {
  const width = input.width ?? 900;
  const height = input.height ?? 260;
  const pad = { left: 58, right: 16, top: 14, bottom: 28 };
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const totals = input.days.map((_, i) => input.series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));
  const top = Math.max(...totals, input.budget ?? 0, 0);
  const step = niceStep(top > 0 ? top * 1.08 : 1);
  const yMax = Math.max(step, Math.ceil((top * 1.08) / step) * step);
  const y = (v: number) => pad.top + plotH - (v / yMax) * plotH;
  const slot = plotW / Math.max(1, input.days.length);
  const barW = Math.max(2, Math.min(48, slot * 0.64));
  const labelEvery = Math.ceil(input.days.length / Math.max(1, Math.floor(plotW / 56)));

  const grid = [];
  for (let v = 0; v <= yMax + step / 2; v += step) {
    grid.push(html`<line class="grid" x1="${pad.left}" x2="${width - pad.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}"/><text x="${pad.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${axisLabel(v, step)}</text>`);
  }
  const bars = input.days.map((day, i) => {
    const x = pad.left + i * slot + (slot - barW) / 2;
    let base = 0;
    const parts = input.series.map((s) => {
      const v = s.values[i] ?? 0;
      if (v <= 0) return '';
      const rect = html`<rect x="${x.toFixed(1)}" y="${y(base + v).toFixed(1)}" width="${barW.toFixed(1)}" height="${Math.max(0.5, y(base) - y(base + v)).toFixed(1)}" fill="${s.color}"><title>${s.name} · ${day}: $${v.toFixed(4)}</title></rect>`;
      base += v;
      return rect;
    });
    const label = i % labelEvery === 0 || i === input.days.length - 1 ? html`<text x="${(x + barW / 2).toFixed(1)}" y="${height - 8}" text-anchor="middle">${shortDay(day)}</text>` : '';
    return html`<g class="day" data-day="${day}" data-total="${(totals[i] ?? 0).toFixed(6)}">${parts}${label}</g>`;
  });
  const budget =
    input.budget !== undefined
      ? html`<line class="budget" x1="${pad.left}" x2="${width - pad.right}" y1="${y(input.budget).toFixed(1)}" y2="${y(input.budget).toFixed(1)}"/><text x="${width - pad.right}" y="${(y(input.budget) - 5).toFixed(1)}" text-anchor="end">daily budget $${input.budget}</text>`
      : '';
  return html`<svg class="chart" role="img" aria-label="Spend per day and agent" viewBox="0 0 ${width} ${height}" xmlns="http://www.w3.org/2000/svg">${grid}${bars}${budget}</svg>`;
}
