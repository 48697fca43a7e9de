import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { connect } from './fakes.js';

// The reference 0.13.0's tools/list, kept in the repository so the test runs in a clone anywhere.
const reference = JSON.parse(readFileSync(new URL('../fixtures/reference/tools-0.13.0.json', import.meta.url), 'utf8')) as {
  tools: { name: string; inputSchema: { properties?: Record<string, unknown> } }[];
};

describe('tools/list', () => {
  it('offers every tool of the reference with all of its parameters', async () => {
    const { client, close } = await connect();
    const { tools } = await client.listTools();
    for (const ref of reference.tools) {
      const ours = tools.find((t) => t.name === ref.name);
      expect(ours, ref.name).toBeDefined();
      for (const param of Object.keys(ref.inputSchema.properties ?? {})) {
        expect(Object.keys(ours?.inputSchema.properties ?? {}), `${ref.name}.${param}`).toContain(param);
      }
    }
    await close();
  });

  it('stays under 12,000 bytes for all tools', async () => {
    const { client, close } = await connect();
    const list = await client.listTools();
    const bytes = Buffer.byteLength(JSON.stringify(list));
    console.log(`tools/list: ${list.tools.length} tools, ${bytes} bytes`);
    expect(bytes).toBeLessThan(12_000);
    await close();
  });

  it('declares an output schema and honest annotations on every tool', async () => {
    const { client, close } = await connect();
    const { tools } = await client.listTools();
    for (const tool of tools) {
      expect(tool.outputSchema, tool.name).toBeDefined();
      expect(tool.description?.length, tool.name).toBeGreaterThan(20);
    }
    const byName = Object.fromEntries(tools.map((t) => [t.name, t.annotations]));
    expect(byName.list_agents?.readOnlyHint).toBe(true);
    expect(byName.remove_agent?.destructiveHint).toBe(true);
    expect(byName.cache_clear?.destructiveHint).toBe(true);
    expect(byName.dispatch?.openWorldHint).toBe(true);
    await close();
  });
});
