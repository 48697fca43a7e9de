// An esbuild plugin for scripts/build.mjs (and the start-up bench's baseline, built the same way). zod's namespace
// object re-exports every locale (40 files); we only ever use English, which zod loads itself, and bundling the rest
// costs about 28 ms of CPU at every `serve` start (measured: importing the server chunk, median of 24, with and
// without it). This swaps zod's locale index, not any MCP SDK file; zod has no public switch for it, since the MCP
// SDK imports the whole `zod/v4` namespace itself.
import { dirname, join } from 'node:path';

/** Resolve zod's `../locales/index.js` to a module that exports English only. */
export const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]v4[\\/]/.test(args.importer) ? { path: join(dirname(args.importer), '..', 'locales', 'en.js'), namespace: 'zod-locales' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(args.path)};`,
      resolveDir: dirname(args.path),
      loader: 'js',
    }));
  },
};

