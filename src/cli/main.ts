// The process entry: the only place that calls process.exit.
import { runCli } from './run.js';

const controller = new AbortController();
// SIGTERM and SIGHUP too: `serve --http`, `web` and `test` must stop their agents, not die with them running.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, () => controller.abort());

const code = await runCli(process.argv.slice(2), {
  env: process.env,
  cwd: process.cwd(),
  stdout: process.stdout,
  stderr: process.stderr,
  signal: controller.signal,
  selfCommand: [process.execPath, ...process.execArgv, process.argv[1] ?? ''],
});
// Exit only after stdout has drained: a piped `list --json` must not be cut short.
process.stdout.write('', () => process.exit(code));
