// Bundles the CLI into dist/ with esbuild: one file per entry, and a lazy chunk for each dynamic import. The
// command files load the layers they use (config schema and YAML, SQLite, the runner, the services, the MCP SDK)
// inside their actions, so `--help` loads commander and the command definitions only, `list` never loads the
// MCP SDK, and `serve` answers tools/list fast (issues #6 and #13).
// `cli/serve-main` is the entry for plain `agent-dispatch serve` (see bin/agent-dispatch.js): it loads the MCP
// server alone, and the config, YAML, SQLite and the runner only at the first tool call.
// agents.yaml is cached in its validated form for `list` (config/cached-load.ts), keyed by the build id below.
// The compact tools/list is computed from the tool definitions first and built in as JSON (built-tool-list.mjs).
// `--types` also writes the declarations of the programmatic API (src/index.ts → dist/index.d.ts, the package's
// "types"); tsc takes ~15 s of CPU, so only `npm pack` / `npm publish` ask for it (the prepack script).
import { execFileSync } from 'node:child_process';
import { build } from 'esbuild';
import { zodEnglishOnly } from './zod-english-only.mjs';
import { builtToolList, computeToolList } from './built-tool-list.mjs';
import { readdir, readFile, rename, rm } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';

// Build into a private folder and swap it in: a build must never leave dist/ empty under a test that is
// running the built CLI (parallel builds happen while several people work in one tree).
const root = new URL('..', import.meta.url);
const dist = new URL('dist', root);
const staging = new URL(`dist.${process.pid}.tmp`, root);
const retired = new URL(`dist.${process.pid}.old`, root);
await rm(staging, { recursive: true, force: true });
const toolList = await computeToolList(root.pathname, [zodEnglishOnly]);
// The build's identity for the config cache (src/config/cached-load.ts): the sources and the locked dependencies,
// so a changed schema or parser never reads a result cached by another build.
const buildId = createHash('sha256');
for (const file of ['package-lock.json', ...(await readdir(new URL('src', root), { recursive: true })).filter((f) => f.endsWith('.ts')).sort().map((f) => `src/${f}`)]) {
  buildId.update(`${file}\0`).update(await readFile(new URL(file, root)));
}
await build({
  entryPoints: { 'cli/main': 'src/cli/main.ts', 'cli/serve-main': 'src/cli/serve-main.ts', 'cli/approval-relay-main': 'src/cli/approval-relay-main.ts', index: 'src/index.ts' },
  outdir: staging.pathname,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  // better-sqlite3's JavaScript is bundled (its dozen CommonJS files cost ~10 ms to load one by one); its native
  // addon is loaded from node_modules at run time, named by src/jobs/store/db.ts.
  external: ['*.node'],
  define: { AD_BUILD_ID: JSON.stringify(buildId.digest('hex').slice(0, 16)) },
  plugins: [zodEnglishOnly, builtToolList(toolList)],
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
