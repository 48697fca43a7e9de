// Runs a fixture script in a child node process and collects its stdout lines; every child is killed in cleanup.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { bundleStore, FIXTURES, storePerTest, type StoreHandle } from './store.js';

/** A running fixture. */
export interface Fixture {
  child: ChildProcess;
  lines: string[];
  /** Resolves with the next stdout line. */
  nextLine(): Promise<string>;
  exited: Promise<unknown>;
}

const running = new Set<ChildProcess>();

// Start `test/jobs/fixtures/<name>` with arguments.
export function startFixture(name: string, args: string[]): Fixture {
  const child = spawn(process.execPath, [join(FIXTURES, name), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  running.add(child);
  const exited = once(child, 'exit').finally(() => running.delete(child));
  const lines: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  let buffer = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk;
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      lines.push(line);
      waiting.shift()?.(line);
    }
  });
  let read = 0;
  return {
    child,
    lines,
    exited,
    nextLine() {
      if (read < lines.length) return Promise.resolve(lines[read++] as string);
      return new Promise((resolve) => waiting.push((line) => { read++; resolve(line); }));
    },
  };
}

// Kill every fixture still running (afterEach).
export async function killFixtures(): Promise<void> {
  const all = [...running];
  for (const child of all) child.kill('SIGKILL');
  await Promise.all(all.map((child) => (child.exitCode === null && child.signalCode === null ? once(child, 'exit') : undefined)));
}

// For suites whose fixtures open the store: a bundle of it built once per file (`bundle`, for the fixtures'
// arguments), a fresh database per test, and every fixture killed before that database is removed.
export function storeWithFixtures(): StoreHandle & { readonly bundle: string } {
  let bundle: string | undefined;
  beforeAll(async () => {
    bundle = await bundleStore();
  });
  afterAll(() => {
    if (bundle) rmSync(bundle, { force: true });
  });
  const readBundle = () => {
    if (bundle === undefined) throw new Error('storeWithFixtures: the store bundle is built in beforeAll');
    return bundle;
  };
  return Object.defineProperty(storePerTest(killFixtures), 'bundle', { get: readBundle, enumerable: true }) as StoreHandle & { readonly bundle: string };
}
