// The package's "types" entry names a file the packed build really has: `npm pack` runs the prepack script, whose
// build --types step emits src/index.ts's declarations with tsconfig.types.json. This compiles them the same way
// into a temp folder and type-checks a user's file against them.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { main: string; types: string; scripts: Record<string, string>; files: string[]; dependencies: Record<string, string> };
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
// Inside the checkout, so the declarations' own imports (the MCP SDK, hono) resolve from node_modules.
mkdirSync(join(root, 'test-output'), { recursive: true });
const out = mkdtempSync(join(root, 'test-output', 'types-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('the package types', () => {
  it('are built when the package is packed, into the folder that is shipped', () => {
    expect(pkg.scripts.prepack).toBe('node scripts/build.mjs --types');
    expect(readFileSync(join(root, 'scripts', 'build.mjs'), 'utf8')).toContain("'tsconfig.types.json'");
    expect(pkg.types).toBe(pkg.main.replace(/\.js$/, '.d.ts'));
    expect(pkg.files).toContain(pkg.types.split('/')[0]);
  });

  it('declare the programmatic API at the path "types" names', () => {
    execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.types.json'), '--outDir', out]);
    const declarations = join(out, pkg.types.replace(/^dist\//, ''));
    expect(readFileSync(declarations, 'utf8')).toContain('createDispatchService');
    // A user's module, checked against the declarations alone.
    const user = join(out, 'user.ts');
    writeFileSync(user, `import { createDispatchService, DispatchError, type DispatchServiceDeps, type RunResult } from './index.js';
export const make = (deps: DispatchServiceDeps) => createDispatchService(deps);
export const failed = (r: RunResult): boolean => !r.ok || r instanceof DispatchError;
`);
    const check = () => execFileSync(process.execPath, [tsc, '--noEmit', '--strict', '--skipLibCheck', '--module', 'NodeNext', '--moduleResolution', 'NodeNext', '--target', 'ES2022', '--types', 'node', user], { cwd: root, encoding: 'utf8' });
    expect(check).not.toThrow();
  }, 180_000);
});

describe('the bundled better-sqlite3', () => {
  // The build bundles its JavaScript and loads the native addon from node_modules at run time: the two halves must
  // come from one release, so the dependency is pinned exactly (a caret would let npm pair them across releases).
  it('is pinned to the exact release that is installed and bundled', () => {
    const installed = (JSON.parse(readFileSync(join(root, 'node_modules', 'better-sqlite3', 'package.json'), 'utf8')) as { version: string }).version;
    expect(pkg.dependencies['better-sqlite3']).toBe(installed);
    expect(readFileSync(join(root, 'scripts', 'build.mjs'), 'utf8')).toContain("external: ['*.node']");
  });
});
