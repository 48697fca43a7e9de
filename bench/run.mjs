// Runs every bench/*.mjs script except this one, one after another; each prints its own figures.
// Exits 1 if any script failed, after running all of them.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const here = import.meta.dirname;
const scripts = readdirSync(here)
  .filter((name) => name.endsWith('.mjs') && name !== 'run.mjs')
  .sort();
const failed = [];
for (const name of scripts) {
  console.log(`\n## ${name}`);
  const run = spawnSync(process.execPath, [join(here, name)], { stdio: ['ignore', 'inherit', 'inherit'], shell: false });
  if (run.status !== 0) failed.push(`${name} (exit ${run.status ?? run.signal})`);
}
if (failed.length > 0) {
  console.log(`\nbench failed: ${failed.join(', ')}`);
  process.exitCode = 1;
}
