// Enforces the layering of STYLE.md by scanning imports:
// shared ← config, cache ← runner ← jobs ← http, views ← server, web ← cli (the composition root); only runner/spawn.ts spawns.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..', 'src');

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const files = walk(SRC).map((path) => ({
  path: relative(SRC, path).split(sep).join('/'),
  imports: [...readFileSync(path, 'utf8').matchAll(/(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map(
    (m) => (m[1] ?? m[2]) as string,
  ),
}));

function layerOf(file: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const target = new URL(spec, `file:///src/${file}`).pathname.replace('/src/', '');
  return target.split('/')[0];
}

// Which layers each layer may import (besides itself).
const ALLOWED: Record<string, string[]> = {
  shared: [],
  // The stand-in model: node built-ins only; the demo (cli/) runs it.
  'stand-in': [],
  config: ['shared'],
  cache: ['shared'],
  runner: ['shared'],
  jobs: ['shared', 'runner', 'cache', 'config'],
  // Loopback listening and the token/Host/Origin guard, shared by the MCP HTTP mode and the dashboard.
  http: ['shared'],
  // How results and jobs look to callers (snake_case, inline cuts), shared by the MCP tools and the CLI.
  views: ['shared', 'runner', 'jobs'],
  server: ['shared', 'runner', 'jobs', 'cache', 'config', 'http', 'views'],
  web: ['shared', 'runner', 'jobs', 'cache', 'config', 'http', 'views'],
  // The worker pool on Redis (BullMQ): the calling side and the worker loop; loaded only in pool mode.
  pool: ['shared', 'runner', 'jobs', 'cache', 'config'],
  // The composition root: it wires every layer, and starts the MCP server and the dashboard.
  cli: ['shared', 'runner', 'jobs', 'cache', 'config', 'http', 'views', 'server', 'web', 'stand-in', 'pool'],
};

describe('module boundaries', () => {
  it('finds source files to check', () => {
    expect(files.length).toBeGreaterThan(3);
  });

  it.each(files.filter((f) => f.path.includes('/')))('$path imports only from the layers below it', ({ path, imports }) => {
    const layer = path.split('/')[0] as string;
    const allowed = ALLOWED[layer];
    expect(allowed, `unknown layer ${layer}`).toBeDefined();
    for (const spec of imports) {
      const target = layerOf(path, spec);
      if (target === undefined || target === layer || target.endsWith('.ts') || target.endsWith('.js')) continue;
      expect(allowed, `${path} imports ${spec}`).toContain(target);
    }
  });

  it('keeps node:child_process inside the runner\'s spawn modules', () => {
    const spawners = files.filter((f) => f.imports.some((s) => s === 'node:child_process' || s === 'child_process'));
    for (const f of spawners) expect(f.path, `${f.path} imports child_process`).toBe('runner/spawn.ts');
  });

  // The runner's public surface (see the comment at the top of src/runner/types.ts).
  const RUNNER_SURFACE = ['runner/index.ts', 'runner/types.ts', 'runner/process/index.ts'];
  // Transitional: the shutdown pass still sits in jobs/service.ts on this branch; it moves to jobs/shutdown.ts
  // (another branch), and then service.ts imports buildPrompt, ModelPrice and the process stops from the surface.
  it.each(files.filter((f) => /^(jobs|server|views|web)\//.test(f.path)))('$path reaches the runner only through its public surface', ({ path, imports }) => {
    for (const spec of imports) {
      if (layerOf(path, spec) !== 'runner') continue;
      const target = new URL(spec, `file:///src/${path}`).pathname.replace('/src/', '').replace(/\.js$/, '.ts');
      expect(RUNNER_SURFACE, `${path} imports ${spec}`).toContain(target);
    }
  });

  it('lets cli/ take only the entry points of server/ (it wires the server; views live in views/)', () => {
    const ENTRY = new Set(['server/catalog.js', 'server/catalog-types.js', 'server/deps.js', 'server/http.js', 'server/stdio.js', 'server/approval-relay.js', 'server/approval-http.js']);
    for (const f of files.filter((f) => f.path.startsWith('cli/'))) {
      for (const spec of f.imports) {
        if (layerOf(f.path, spec) !== 'server') continue;
        const target = new URL(spec, `file:///src/${f.path}`).pathname.replace('/src/', '');
        expect(ENTRY.has(target), `${f.path} imports ${spec}`).toBe(true);
      }
    }
  });

  it('lets nothing outside cli/ import cli/', () => {
    for (const f of files.filter((f) => !f.path.startsWith('cli/'))) {
      for (const spec of f.imports) expect(layerOf(f.path, spec), `${f.path} imports ${spec}`).not.toBe('cli');
    }
  });
});
