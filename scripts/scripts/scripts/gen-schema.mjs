// Writes schema/agents.schema.json from the zod schema in src/config (run: npm run schema).
// test/config/json-schema.test.ts fails when the shipped file is stale.
import { build } from 'esbuild';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = new URL('..', import.meta.url);
const dir = await mkdtemp(join(tmpdir(), 'agent-dispatch-schema-'));
try {
  const out = join(dir, 'json-schema.mjs');
  await build({
    entryPoints: [new URL('src/config/json-schema.ts', root).pathname],
    outfile: out,
    bundle: true,
    format: 'esm',
    platform: 'node',
    nodePaths: [new URL('node_modules', root).pathname],
    logLevel: 'warning',
  });
  const { renderJsonSchema, JSON_SCHEMA_FILE } = await import(pathToFileURL(out).href);
  await writeFile(new URL(JSON_SCHEMA_FILE, root), renderJsonSchema());
  console.log(`wrote ${JSON_SCHEMA_FILE}`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
