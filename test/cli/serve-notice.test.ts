// Plain `serve` typed at a terminal says in one stderr line that an MCP client starts it; under a client, silence.
import { describe, expect, it } from 'vitest';
import { noteTerminalServe } from '../../src/cli/serve-notice.js';

describe('noteTerminalServe', () => {
  it.each([
    ['a terminal', true, 1],
    ['a client pipe', false, 0],
    ['an unknown stdin', undefined, 0],
  ])('prints %s: %s lines', (_name, isTTY, lines) => {
    const chunks: string[] = [];
    noteTerminalServe({ write: (s: string) => chunks.push(s) }, { isTTY });
    expect(chunks.join('').split('\n').filter(Boolean)).toHaveLength(lines);
    if (lines) expect(chunks.join('')).toContain('register it with `agent-dispatch init`');
  });
});
