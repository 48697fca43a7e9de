// The process entry for exactly `agent-dispatch serve` (stdio), chosen by bin/agent-dispatch.js. Claude Code starts
// this at every session and waits for tools/list, so it skips the command-line parser and every other command, and
// answers the handshake from the build's dist/handshake.json (see serve-stdio.ts). Any other argv (`serve --http`,
// `serve --help`) goes through cli/main.ts. Like main.ts, it is a place that exits.
import { readFileSync } from 'node:fs';
import { VERSION } from '../shared/version.js';
import { parseManifest } from './front-desk.js';
import { runStdioServe } from './serve-stdio.js';

function readManifest(): string | undefined {
  try {
    return readFileSync(new URL('../handshake.json', import.meta.url), 'utf8');
  } catch {
    return undefined; // not built with one: the server answers the handshake itself
  }
}

let code = 0;
try {
  const handshake = parseManifest(readManifest(), VERSION);
  await runStdioServe(
    {
      env: process.env,
      cwd: process.cwd(),
      stdout: process.stdout,
      stderr: process.stderr,
      selfCommand: [process.execPath, ...process.execArgv, process.argv[1] ?? ''],
    },
    handshake ? { handshake } : {},
  );
} catch (error) {
  process.stderr.write(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  code = 1;
}
process.stdout.write('', () => process.exit(code));
