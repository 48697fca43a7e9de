// What every approvals bench builds the same way: the stand-in's turn that asks for one Bash call and then answers
// "done", marking when each is sent, and an MCP client whose elicitation handler marks the form's arrival and
// allows at once (so the form's arrival is also the answer's moment). `marks` is one object for the whole bench; reset() clears it before each run.
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { importTs } from '../../test/support/load-ts.mjs';

/** The repository root and the CLI the benches start. */
export const ROOT = join(import.meta.dirname, '..', '..');
export const BIN = join(ROOT, 'bin', 'agent-dispatch.js');
/** Runs per bench (AD_BENCH_RUNS, default 5). */
export const RUNS = Number(process.env.AD_BENCH_RUNS ?? 5);
export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// The stand-in model serving the approvals turn (its backbone `bb`, and the real CLI's path), with approvalBench's
// marks, reset and client.
export async function startApprovalBench() {
  const support = join(ROOT, 'test', 'support');
  const { createBackbone, CLAUDE_BIN } = await importTs(join(support, 'harness.ts'));
  const { text, toolUse } = await importTs(join(support, 'fake-anthropic.ts'));
  const bench = approvalBench({ text, toolUse });
  const bb = await createBackbone({ rules: [bench.rule] });
  return { ...bench, bb, CLAUDE_BIN };
}

// `text` and `toolUse` are the stand-in's reply builders (test/support/fake-anthropic.ts).
export function approvalBench({ text, toolUse }) {
  const marks = {};
  const rule = {
    match: 'bench',
    reply: [
      () => ((marks.toolSent = performance.now()), (marks.toolSentWall = Date.now()), toolUse('Bash', { command: 'touch bench-ran.txt' })),
      () => ((marks.next = performance.now()), text('done')),
    ],
  };
  return {
    marks,
    rule,
    reset: () => Object.keys(marks).forEach((key) => delete marks[key]),
    // An SDK client of `agent-dispatch serve` started with `args` and `env`, answering every form with allow_once.
    async connect({ command = process.execPath, args, env }) {
      const client = new Client({ name: 'bench', version: '1' }, { capabilities: { elicitation: {} } });
      client.setRequestHandler(ElicitRequestSchema, async () => {
        marks.elicit = performance.now();
        marks.elicitWall = Date.now();
        return { action: 'accept', content: { decision: 'allow_once' } };
      });
      await client.connect(new StdioClientTransport({ command, args, env, stderr: 'inherit' }));
      return client;
    },
  };
}
