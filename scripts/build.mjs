// Bundles the CLI into dist/ with esbuild: one file per entry, lazy chunks for `serve` and `web`,
// so `agent-dispatch list` never loads the MCP SDK and `serve` answers tools/list fast (issue #6).
// `cli/serve-main` is the entry for plain `agent-dispatch serve` (see bin/agent-dispatch.js): it loads the MCP
// server alone, and the config, YAML, SQLite and the runner only at the first tool call.
// `--types` also writes the declarations of the programmatic API (src/index.ts → dist/index.d.ts, the package's
// "types"); tsc takes ~15 s of CPU, so only `npm pack` / `npm publish` ask for it (the prepack script).
import { execFileSync } from 'node:child_process';
import { build } from 'esbuild';
import { rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

// zod's namespace object re-exports every locale (40 files); we only ever use English, which zod loads itself.
// Bundling the rest costs parse time on every start.
const zodEnglishOnly = {
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

// The MCP SDK's Server and Client build an Ajv instance in their constructors (for elicitation and tool output
// schemas), which loads and compiles Ajv at start-up. Our server never uses it; the demo's client rarely does.
// Same class, loaded on the first getValidator() call (esbuild's require() of an ESM file is a lazy init).
const lazyAjv = {
  name: 'lazy-ajv',
  setup(b) {
    b.onResolve({ filter: /[\\/]validation[\\/]ajv-provider\.js$/ }, (args) => {
      if (args.namespace === 'lazy-ajv' || !/@modelcontextprotocol[\\/]sdk/.test(args.importer)) return undefined;
      return { path: join(dirname(args.importer), args.path), namespace: 'lazy-ajv' };
    });
    b.onLoad({ filter: /.*/, namespace: 'lazy-ajv' }, (args) => ({
      resolveDir: dirname(args.path),
      loader: 'js',
      contents: `let real;
const load = () => (real ??= require(${JSON.stringify(args.path)}));
export class AjvJsonSchemaValidator {
  constructor(ajv) { this._ajv = ajv; }
  getValidator(schema) {
    this._impl ??= new (load().AjvJsonSchemaValidator)(this._ajv);
    return this._impl.getValidator(schema);
  }
}`,
    }));
  },
};

// Build into a private folder and swap it in: a build must never leave dist/ empty under a test that is
// running the built CLI (parallel builds happen while several people work in one tree).
const root = new URL('..', import.meta.url);
const dist = new URL('dist', root);
const staging = new URL(`dist.${process.pid}.tmp`, root);
const retired = new URL(`dist.${process.pid}.old`, root);
await rm(staging, { recursive: true, force: true });
await build({
  entryPoints: { 'cli/main': 'src/cli/main.ts', 'cli/serve-main': 'src/cli/serve-main.ts', 'cli/approval-relay-main': 'src/cli/approval-relay-main.ts', index: 'src/index.ts' },
  outdir: staging.pathname,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  // Native addon: must be loaded from node_modules at run time.
  external: ['better-sqlite3'],
  plugins: [zodEnglishOnly, lazyAjv],
  // Bundled CommonJS dependencies call require(); give them one.
  banner: { js: "import { createRequire as __adCreateRequire } from 'node:module'; const require = __adCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
if (process.argv.includes('--types')) {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', new URL('tsconfig.types.json', root).pathname, '--outDir', staging.pathname], { stdio: 'inherit' });
}
await rename(dist, retired).catch(() => {});
await rename(staging, dist);
await rm(retired, { recursive: true, force: true });
