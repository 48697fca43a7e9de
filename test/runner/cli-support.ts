// Wiring the runner to the real Claude Code CLI and the stand-in model (test/support/).
import { createRunner } from '../../src/runner/index.js';
import type { Runner, RunnerOptions } from '../../src/runner/types.js';
import type { Backbone } from '../support/harness.js';
import { CLAUDE_BIN } from '../support/harness.js';

// A runner whose child environment is the backbone's (temp HOME, stand-in URL, no retries) plus `extra`.
export function cliRunner(bb: Backbone, extra: Record<string, string | undefined> = {}, options: RunnerOptions = {}): Runner {
  return createRunner({ env: bb.env({ extra }), binaries: { claude: CLAUDE_BIN }, killGraceMs: 1000, ...options });
}

// The user's own text in the first user message (after the CLI's <system-reminder> blocks), unmodified.
export function promptSent(messages: any[]): string {
  const first = messages.find((m) => m.role === 'user');
  const blocks: any[] = typeof first?.content === 'string' ? [{ type: 'text', text: first.content }] : (first?.content ?? []);
  const texts = blocks.filter((b) => b.type === 'text' && !String(b.text).includes('<system-reminder>')).map((b) => b.text as string);
  return texts[texts.length - 1] ?? '';
}
