// What `test` shows while an agent works: the spinner line, tool calls above it, plain lines for pipes,
// colour only on terminals (NO_COLOR respected), and the small formatters (pure, with fake sinks and timers).
import { describe, expect, it } from 'vitest';
import { createPalette, paletteFor } from '../../src/cli/ui/color.js';
import { startLiveLine, type Timers } from '../../src/cli/ui/live.js';
import { startRunProgress } from '../../src/cli/ui/run-progress.js';
import { fitWidth, formatCost, formatDuration, shellCommand, shellQuote } from '../../src/cli/ui/text.js';

function sink(isTTY: boolean, columns = 80) {
  const chunks: string[] = [];
  return { isTTY, columns, chunks, write: (s: string) => void chunks.push(s), text: () => chunks.join('') };
}

function fakeTimers() {
  let tick: (() => void) | undefined;
  const timers: Timers = { setInterval: (fn) => ((tick = fn), 1), clearInterval: () => (tick = undefined) };
  return { timers, tick: () => tick?.(), running: () => tick !== undefined };
}

// What a terminal would show: apply \r and erase-line, drop cursor codes.
function screen(text: string): string[] {
  const lines: string[] = [''];
  // eslint-disable-next-line no-control-regex -- terminal codes are what this reads
  for (const part of text.replace(/\x1b\[\?25[lh]/g, '').split(/(\r\x1b\[2K|\n)/)) {
    if (part === '\r\x1b[2K') lines[lines.length - 1] = '';
    else if (part === '\n') lines.push('');
    else lines[lines.length - 1] += part;
  }
  return lines;
}

describe('formatters', () => {
  it.each([
    [0, '0 ms'],
    [850, '850 ms'],
    [2_449, '2.4 s'],
    [59_940, '59.9 s'],
    [185_000, '3 min 05 s'],
    [-1, '?'],
  ])('formatDuration(%d) = %s', (ms, text) => expect(formatDuration(ms)).toBe(text));

  it.each([
    [undefined, '$?'],
    [0, '$0'],
    [0.0008, '$0.0008'],
    [0.0016, '$0.0016'],
    [0.0123, '$0.012'],
    [0.5, '$0.5'],
    [1.256, '$1.26'],
  ])('formatCost(%s) = %s', (usd, text) => expect(formatCost(usd)).toBe(text));

  it.each([
    ['plain/path-1.txt', 'plain/path-1.txt'],
    ['with space', "'with space'"],
    ["it's", `'it'\\''s'`],
    ['$HOME', "'$HOME'"],
    ['~/x', "'~/x'"],
    ['', "''"],
  ])('shellQuote(%j) = %s', (arg, quoted) => expect(shellQuote(arg)).toBe(quoted));

  it('builds a pasteable command and cuts long lines', () => {
    expect(shellCommand(['agent-dispatch', 'update', 'web', '--directory', '/p/my web'])).toBe("agent-dispatch update web --directory '/p/my web'");
    expect(fitWidth('abcdef', 4)).toBe('abc…');
    expect(fitWidth('abc', 4)).toBe('abc');
  });
});

describe('colour', () => {
  it.each([
    ['a terminal', true, {}, true],
    ['a pipe', false, {}, false],
    ['a terminal with NO_COLOR', true, { NO_COLOR: '1' }, false],
    ['a terminal with TERM=dumb', true, { TERM: 'dumb' }, false],
    ['a pipe with FORCE_COLOR', false, { FORCE_COLOR: '1' }, true],
    ['a terminal with FORCE_COLOR=0', true, { FORCE_COLOR: '0' }, false],
  ])('is %s on %s', (_name, isTTY, env, enabled) => {
    expect(paletteFor({ isTTY }, env).enabled).toBe(enabled);
  });

  it('leaves text alone when off', () => {
    expect(createPalette(false).red('x')).toBe('x');
    expect(createPalette(true).red('x')).toBe('\x1b[31mx\x1b[39m');
  });
});

describe('startLiveLine', () => {
  it('redraws the status in place, prints lines above it, and clears it on stop', () => {
    const out = sink(true);
    const t = fakeTimers();
    let now = 0;
    const live = startLiveLine({ sink: out, status: (ms) => `working ${ms} ms`, now: () => now, timers: t.timers });
    now = 500;
    t.tick();
    expect(screen(out.text()).at(-1)).toBe('⠙ working 500 ms');
    live.log('→ Bash: ls');
    expect(screen(out.text())).toEqual(['→ Bash: ls', '⠙ working 500 ms']);
    live.stop();
    expect(t.running()).toBe(false);
    expect(screen(out.text())).toEqual(['→ Bash: ls', '']);
    expect(out.text()).toContain('\x1b[?25l');
    expect(out.text().endsWith('\x1b[?25h')).toBe(true);
  });

  it('cuts the status to the terminal width so it never wraps', () => {
    const out = sink(true, 30);
    const live = startLiveLine({ sink: out, status: () => 'x'.repeat(100), timers: fakeTimers().timers });
    expect(screen(out.text()).at(-1)!.length).toBeLessThan(30);
    live.stop();
  });
});

describe('startRunProgress', () => {
  const events = [
    { type: 'init', model: 'opus' },
    { type: 'text', text: 'Looking around' },
    { type: 'tool_use', id: 't1', name: 'Bash', input: { command: 'ls -la' } },
    { type: 'tool_result', toolUseId: 't1', isError: true, content: 'permission denied' },
    { type: 'result', ok: true, text: 'done', numTurns: 2 },
  ] as const;

  it('shows tool calls above a spinner with elapsed time and turn on a terminal', () => {
    const out = sink(true, 100);
    const t = fakeTimers();
    let now = 0;
    const progress = startRunProgress({ sink: out, palette: createPalette(false), agent: 'alpha', stream: false, now: () => now, timers: t.timers });
    now = 1200;
    progress.onEvent(events[2]);
    const shown = screen(out.text());
    expect(shown[0]).toMatch(/^ {3}1\.2 s {2}→ Bash: ls -la$/);
    expect(shown[1]).toMatch(/^. alpha · 1\.2 s · turn 1 · Bash: ls -la$/);
    progress.stop();
  });

  it('names a tool on the spinner only while it runs', () => {
    const out = sink(true, 100);
    const progress = startRunProgress({ sink: out, palette: createPalette(false), agent: 'alpha', stream: false, now: () => 0, timers: fakeTimers().timers });
    progress.onEvent(events[2]);
    expect(screen(out.text()).at(-1)).toMatch(/turn 1 · Bash: ls -la$/);
    progress.onEvent(events[3]);
    expect(screen(out.text()).at(-1)).toMatch(/^. alpha · 0 ms · turn 1$/);
    progress.stop();
  });

  it('does not stream the closing text when the answer is printed after it, and keeps it when there is none', () => {
    const answer = { type: 'text', text: 'The answer.' } as const;
    for (const answered of [true, false]) {
      const out = sink(false);
      const progress = startRunProgress({ sink: out, palette: createPalette(false), agent: 'alpha', stream: true, now: () => 0 });
      for (const e of [...events.slice(0, 4), answer]) progress.onEvent(e);
      progress.stop({ answered });
      expect(out.text().includes('The answer.')).toBe(!answered);
      expect(out.text()).toContain('Looking around');
    }
  });

  it('prints nothing while working when not on a terminal and not streaming', () => {
    const out = sink(false);
    const progress = startRunProgress({ sink: out, palette: createPalette(false), agent: 'alpha', stream: false });
    for (const e of events) progress.onEvent(e);
    progress.stop();
    expect(out.text()).toBe('');
  });

  it('prints plain timestamped lines with --stream when not on a terminal', () => {
    const out = sink(false);
    const progress = startRunProgress({ sink: out, palette: createPalette(false), agent: 'alpha', stream: true, now: () => 0 });
    for (const e of events) progress.onEvent(e);
    progress.stop();
    expect(out.text().split('\n').map((l) => l.trim())).toEqual(['0 ms  started (opus)', '0 ms  Looking around', '0 ms  → Bash: ls -la', '0 ms  ! permission denied', '']);
    expect(out.text()).not.toContain('\x1b');
  });
});
