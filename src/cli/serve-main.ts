// The process entry for exactly `agent-dispatch serve` (stdio), chosen by bin/agent-dispatch.js. Claude Code starts
// this at every session and waits for tools/list, so it skips the command-line parser and every other command
// (see serve-stdio.ts). Any other argv (`serve --http`, `serve --help`) goes through cli/main.ts. Like main.ts, it
// is a place that exits.
import { runStdioServe } from './serve-stdio.js';

let code = 0;
try {
  await runStdioServe(
    {
      env: process.env,
      cwd: process.cwd(),
      stdout: process.stdout,
      stderr: process.stderr,
      selfCommand: [process.execPath, ...process.execArgv, process.argv[1] ?? ''],
    },
  );
} catch (error) {
  process.stderr.write(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  code = 1;
}
process.stdout.write('', () => process.exit(code));
