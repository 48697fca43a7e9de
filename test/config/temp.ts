// Temp directories for config tests, removed after each test file.
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll } from 'vitest';

// A fresh temp directory (real path, so comparisons with resolved paths hold), removed when the file's tests end.
export function tempDir(prefix = 'ad-config-'): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

// Bundle test/fixtures/config/<name>.ts into `dir` as a runnable ESM script; returns its path.
export async function bundleConfigFixture(name: string, dir: string): Promise<string> {
  const script = join(dir, `${name}.mjs`);
  await build({
    entryPoints: [join(import.meta.dirname, '..', 'fixtures', 'config', `${name}.ts`)],
    outfile: script,
    bundle: true,
    format: 'esm',
    platform: 'node',
    logLevel: 'warning',
    // Bundled CommonJS (yaml) calls require(); give it one, as scripts/build.mjs does.
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  });
  return script;
}
