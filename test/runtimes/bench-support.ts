// Cold start of each runtime against its stand-in, and the runner's overhead over a raw spawn of the same CLI
// with the same argv, environment and stdin (taken from the adapter). Used by bench/runtimes-*.mjs.
import { spawn } from 'node:child_process';
import { buildChildEnv } from '../../src/runner/env.js';
import { buildPrompt } from '../../src/runner/prompt.js';
import { createRuntimeAdapters } from '../../src/runner/runtimes.js';
import type { RunRequest } from '../../src/shared/types.js';
import { text } from '../support/fake-openai-responses.js';
import { createRig, RUNTIME_BINS, TEST_MODELS, type RuntimeRig } from './support.js';

/** Medians in ms. */
export interface RuntimeBench {
  runtime: RuntimeRig['runtime'];
  runs: number;
  versionMs: number;
  rawMs: number;
  runnerMs: number;
  rawSamples: number[];
  runnerSamples: number[];
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

function timeSpawn(bin: string, args: string[], cwd: string, env: Record<string, string>, stdin?: string): Promise<{ ms: number; code: number | null }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    // Output is read (and discarded) like any caller must, and the time runs until both pipes close.
    const child = spawn(bin, args, { cwd, env, stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], shell: false });
    if (stdin !== undefined) child.stdin?.end(stdin);
    child.stdout?.resume();
    child.stderr?.resume();
    child.on('error', reject);
    child.on('close', (code) => resolve({ ms: performance.now() - t0, code }));
  });
}

// Measures one runtime: `runs` raw spawns and `runs` runner runs, interleaved, after one warm-up of each.
export async function benchRuntime(runtime: RuntimeRig['runtime'], runs = 5): Promise<RuntimeBench> {
  const rig = await createRig(runtime, { defaultReply: text('ok') });
  try {
    const agent = rig.agent(`bench-${runtime}`, runtime === 'gemini' ? { model: TEST_MODELS.gemini } : {});
    const request: RunRequest = { agent, task: 'hi' };
    const adapter = createRuntimeAdapters()[runtime];
    const bin = RUNTIME_BINS[runtime];
    const raw = async () => {
      const env = buildChildEnv(rig.env, agent.env, 1, [agent.name]);
      const invocation = adapter.buildInvocation(request, { prompt: buildPrompt(request), newSessionId: crypto.randomUUID(), env });
      try {
        const run = await timeSpawn(bin, invocation.args, agent.directory, { ...env, ...invocation.env }, invocation.stdin);
        if (run.code !== 0) throw new Error(`raw ${runtime} run exited ${run.code}`);
        return run.ms;
      } finally {
        invocation.cleanup?.();
      }
    };
    const viaRunner = async () => {
      const t0 = performance.now();
      const result = await rig.runner.run(request);
      if (!result.ok) throw new Error(`${runtime} run failed: ${result.error?.message}`);
      return performance.now() - t0;
    };
    await raw();
    await viaRunner();
    const rawSamples: number[] = [];
    const runnerSamples: number[] = [];
    for (let i = 0; i < runs; i++) {
      rawSamples.push(await raw());
      runnerSamples.push(await viaRunner());
    }
    const version: number[] = [];
    for (let i = 0; i < 3; i++) version.push((await timeSpawn(bin, ['--version'], agent.directory, rig.env)).ms);
    return { runtime, runs, versionMs: median(version), rawMs: median(rawSamples), runnerMs: median(runnerSamples), rawSamples, runnerSamples };
  } finally {
    await rig.cleanup();
  }
}

// The lines a bench prints.
export function report(b: RuntimeBench): string[] {
  const f = (ms: number) => `${Math.round(ms)} ms`;
  return [
    `${b.runtime}: cold start against the stand-in, median of ${b.runs} (after one warm-up)`,
    `  --version                 ${f(b.versionMs)}`,
    `  raw spawn, same argv/env  ${f(b.rawMs)}   [${b.rawSamples.map((s) => Math.round(s)).join(', ')}]`,
    `  through the runner        ${f(b.runnerMs)}   [${b.runnerSamples.map((s) => Math.round(s)).join(', ')}]`,
    `  runner overhead           ${f(b.runnerMs - b.rawMs)}   ratio runner/raw ${(b.runnerMs / b.rawMs).toFixed(3)}`,
  ];
}
