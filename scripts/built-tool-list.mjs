// An esbuild plugin for scripts/build.mjs: computes the compact tools/list from the tool definitions in src/ once,
// and serves it as the contents of src/server/built-tool-list.ts, so a started server sends ready JSON instead of
// converting every zod schema (see that file). The list comes from the same compactToolList the server uses from
// source, and test/server/built-tool-list.test.ts checks the built server's answer against it.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

// Bundle a two-line entry that imports the tools and the compactor, run it, and return the list as JSON text.
export async function computeToolList(root, plugins = []) {
  const out = await build({
    stdin: {
      contents: "import { TOOLS } from './src/server/tools/index.ts'; import { compactToolList } from './src/server/tool-list.ts'; export default JSON.stringify(compactToolList(TOOLS));",
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['better-sqlite3'],
    plugins,
    banner: { js: "import { createRequire as __adCreateRequire } from 'node:module'; const require = __adCreateRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  // Written inside the checkout so that node resolves anything left external from its node_modules.
  const dir = await mkdtemp(join(root, '.tool-list-'));
  try {
    const file = join(dir, 'gen.mjs');
    await writeFile(file, out.outputFiles[0].contents);
    return (await import(pathToFileURL(file).href)).default;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Replace src/server/built-tool-list.ts with the list given as JSON text. */
export function builtToolList(json) {
  return {
    name: 'built-tool-list',
    setup(b) {
      b.onLoad({ filter: /[\\/]src[\\/]server[\\/]built-tool-list\.ts$/ }, () => ({
        contents: `export const BUILT_TOOL_LIST = ${json};`,
        loader: 'js',
      }));
    },
  };
}
