// The built server sends a tools/list computed at build time (scripts/built-tool-list.mjs); it must be exactly what
// the tool definitions in src/ give at run time, or a stale build would advertise the wrong schemas.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { BUILT_TOOL_LIST } from '../../src/server/built-tool-list.js';
import { AGENT_DISPATCH_BIN, assertBuilt } from '../support/product.js';
import { connect } from './fakes.js';

const dir = mkdtempSync(join(tmpdir(), 'ad-built-list-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the build-time tools/list', () => {
  it('is left to run time when running from source', () => {
    expect(BUILT_TOOL_LIST).toBeUndefined();
  });

  it('is what the built server sends, identical to the list computed from the sources', async () => {
    assertBuilt();
    writeFileSync(join(dir, 'agents.yaml'), `agents:\n  alpha:\n    directory: ${dir}\n`);
    const env = { PATH: process.env.PATH ?? '', HOME: dir, AGENT_DISPATCH_CONFIG: join(dir, 'agents.yaml'), AGENT_DISPATCH_STATE_DIR: join(dir, 'state') };
    const built = new Client({ name: 'built-list', version: '1' });
    await built.connect(new StdioClientTransport({ command: process.execPath, args: [AGENT_DISPATCH_BIN, 'serve'], env, stderr: 'pipe' }));
    const fromSource = await connect();
    try {
      const [sent, computed] = await Promise.all([built.listTools(), fromSource.client.listTools()]);
      expect(sent.tools.length).toBe(23);
      expect(sent).toEqual(computed);
    } finally {
      await built.close();
      await fromSource.close();
    }
  });
});
