// What every approvals bench builds the same way: the stand-in's turn that asks for one Bash call and then answers
// "done", marking when each is sent, and an MCP client whose elicitation handler marks the form's arrival and
// allows at once (so the form's arrival is also the answer's moment). `marks` is one object for the whole bench; reset() clears it before each run.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';

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
