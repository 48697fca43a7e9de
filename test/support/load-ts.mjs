// Lets plain Node scripts (bench/, the standalone stand-in) use the TypeScript test support without a TS loader:
// esbuild (a devDependency) bundles the module into a temp .mjs file, which is then imported.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

// Import a .ts module by path (absolute, or relative to the cwd); the temp bundle is removed right after loading.
export async function importTs(path) {
  const dir = mkdtempSync(join(tmpdir(), 'ad-load-ts-'));
  const outfile = join(dir, 'module.mjs');
  try {
    await build({ entryPoints: [path], outfile, bundle: true, format: 'esm', platform: 'node', target: 'node20', packages: 'external', logLevel: 'warning' });
    return await import(pathToFileURL(outfile).href);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
