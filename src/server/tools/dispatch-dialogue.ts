// `dispatch_dialogue`: two agents talk a topic through, each in its own session; never cached.
import { defineTool } from '../tool-def.js';
import { z } from 'zod';
import { agentName, text } from '../params.js';
import { cutDialogue, runDialogue } from '../dialogue.js';
import { DEFAULT_INLINE_BYTES } from '../../views/dispatch-result.js';
import { viewOptions } from '../run-dispatch.js';
import type { ProgressSink } from '../progress.js';
import { toolResult } from '../results.js';
import { checkParties, startDialogueJob } from '../tasks/start-dialogue.js';

/** Tool name. */
export const name = 'dispatch_dialogue';

// `dispatch_dialogue` as data.
export const tool = defineTool({
  name,
  description:
    'Two agents discuss a topic in turns until one says [RESOLVED] or max_rounds (1-10) pass.',
  inputSchema: z.object({
    requester: agentName,
    responder: agentName,
    topic: text(1_000_000, 'topic').refine((s) => s.trim().length > 0, 'topic is empty'),
    max_rounds: z.number().int().min(1, 'max_rounds must be 1-10').max(10, 'max_rounds must be 1-10').default(3),
  }),
  outputSchema: z.looseObject({ resolved: z.boolean(), final_answer: z.string() }),
  annotations: { openWorldHint: true },
  // As a task: one background job runs the whole dialogue in the local worker (see jobs/dialogue-job.ts).
  task: { start: (args, ctx) => startDialogueJob(ctx.deps, args, ctx.principal) },
  handler: async (args, ctx) => {
    const { deps } = ctx;
    checkParties(deps, args);
    const counter = { n: 0 };
    const sinks: ProgressSink[] = [];
    try {
      const result = await runDialogue(
        (request) => {
          const sink = ctx.progress({ label: `${request.agent} (dialogue)`, counter });
          sinks.push(sink);
          return deps.dispatcher.dispatch(request, { signal: ctx.signal, onJob: sink.onJob, onEvent: sink.onEvent, useCache: false });
        },
        { requester: args.requester, responder: args.responder, topic: args.topic, maxRounds: args.max_rounds },
      );
      return toolResult({ ...cutDialogue(result, viewOptions(deps).inlineBytes ?? DEFAULT_INLINE_BYTES) });
    } finally {
      for (const sink of sinks) sink.close();
    }
  },
});
