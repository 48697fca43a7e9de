// Cold start of the pinned Claude Code CLI against the stand-in model: the floor every dispatch pays.
// Prints medians of 10 runs; other benches import measureColdStart() to report their overhead as a ratio to it.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { importTs } from '../test/support/load-ts.mjs';

const SUPPORT = join(import.meta.dirname, '..', 'test', 'support');

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

// Spawn once; resolve with ms to the first stdout line, to the result line, and to exit.
function timeRun(bin, args, options) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const marks = { firstLine: undefined, result: undefined, exit: undefined, code: undefined };
    const child = spawn(bin, args, { ...options, stdio: ['ignore', 'pipe', 'ignore'], shell: false });
    let buffer = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      buffer += chunk;
      marks.firstLine ??= buffer.includes('\n') ? performance.now() - t0 : undefined;
      if (marks.result === undefined && buffer.includes('"type":"result"')) marks.result = performance.now() - t0;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ ...marks, exit: performance.now() - t0, code }));
  });
}

// Measure `claude -p` against a fresh stand-in model; returns medians in ms (init, result, exit) and the floors.
export async function measureColdStart({ runs = 10 } = {}) {
  const { createBackbone, CLAUDE_BIN } = await importTs(join(SUPPORT, 'harness.ts'));
  const { text } = await importTs(join(SUPPORT, 'fake-anthropic.ts'));
  const bb = await createBackbone({ defaultReply: text('ok') });
  try {
    const cwd = bb.project('bench', { claudeMd: 'bench agent' });
    const env = bb.env();
    const args = ['-p', 'hi', '--output-format', 'stream-json', '--verbose'];
    await timeRun(CLAUDE_BIN, args, { cwd, env }); // warm the page cache; not counted
    const samples = [];
    for (let i = 0; i < runs; i++) {
      const s = await timeRun(CLAUDE_BIN, args, { cwd, env });
      if (s.code !== 0 || s.result === undefined) throw new Error(`claude run ${i} failed (exit ${s.code})`);
      samples.push(s);
    }
    const version = [];
    const node = [];
    for (let i = 0; i < runs; i++) {
      version.push((await timeRun(CLAUDE_BIN, ['--version'], { cwd, env })).exit);
      node.push((await timeRun(process.execPath, ['-e', ''], { cwd, env })).exit);
    }
    return {
      runs,
      initMs: median(samples.map((s) => s.firstLine)),
      resultMs: median(samples.map((s) => s.result)),
      exitMs: median(samples.map((s) => s.exit)),
      exitMinMs: Math.min(...samples.map((s) => s.exit)),
      exitMaxMs: Math.max(...samples.map((s) => s.exit)),
      versionMs: median(version),
      nodeMs: median(node),
      requests: bb.model.messageRequests().length,
    };
  } finally {
    await bb.cleanup();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = await measureColdStart();
  const ms = (x) => `${x.toFixed(0)} ms`;
  console.log(`claude -p cold start against the stand-in (median of ${r.runs}, stream-json, one request each)`);
  console.log(`  spawn -> system/init line : ${ms(r.initMs)}`);
  console.log(`  spawn -> result line      : ${ms(r.resultMs)}`);
  console.log(`  spawn -> exit             : ${ms(r.exitMs)}  (min ${ms(r.exitMinMs)}, max ${ms(r.exitMaxMs)})`);
  console.log(`  floors: claude --version ${ms(r.versionMs)}, node -e '' ${ms(r.nodeMs)}`);
  console.log(`  ratio exit / claude --version: ${(r.exitMs / r.versionMs).toFixed(1)}x`);
}
