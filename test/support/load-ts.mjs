// Lets plain Node scripts (bench/, the standalone stand-in) use the TypeScript test support without a TS loader:
// esbuild (a devDependency) bundles the module into a temp .mjs file, which is then imported.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

// The bundle runs from a temp dir, so each source file's import.meta.dirname / .url is pinned to where it really is.
const pinImportMeta = {
  name: 'pin-import-meta',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, (args) => ({
      loader: 'ts',
      contents: readFileSync(args.path, 'utf8')
        .replaceAll('import.meta.dirname', JSON.stringify(dirname(args.path)))
        .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
    }));
  },
};

// Bundles live under node_modules/.cache so that npm packages (kept external) still resolve from them.
const CACHE = join(import.meta.dirname, '..', '..', 'node_modules', '.cache');

// Import a .ts module by path (absolute, or relative to the cwd); the temp bundle is removed right after loading.
export async function importTs(path) {
  mkdirSync(CACHE, { recursive: true });
  const dir = mkdtempSync(join(CACHE, 'ad-load-ts-'));
  const outfile = join(dir, 'module.mjs');
  try {
    await build({ entryPoints: [path], outfile, bundle: true, format: 'esm', platform: 'node', target: 'node20', packages: 'external', plugins: [pinImportMeta], logLevel: 'warning' });
    return await import(pathToFileURL(outfile).href);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
