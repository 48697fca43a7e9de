// A palette over format.ts's colour rules (terminal only, NO_COLOR respected, FORCE_COLOR honoured), so
// commands write `c.green('✔')` instead of threading a flag through every call.
import type { TextSink } from '../context.js';
import { colorEnabled, paint, type Style } from '../format.js';

/** Styles used by the CLI; each returns its input unchanged when colour is off. */
export type Palette = { enabled: boolean } & Record<Style, (text: string) => string>;

// A palette that colours only when `enabled`.
export function createPalette(enabled: boolean): Palette {
  const style = (s: Style) => (text: string) => (text === '' ? text : paint(text, s, enabled));
  return { enabled, bold: style('bold'), dim: style('dim'), red: style('red'), green: style('green'), yellow: style('yellow'), cyan: style('cyan') };
}

// The palette for a sink in this environment; TERM=dumb terminals get none.
export function paletteFor(sink: Pick<TextSink, 'isTTY'>, env: NodeJS.ProcessEnv): Palette {
  return createPalette(env.TERM !== 'dumb' && colorEnabled(sink, env));
}
