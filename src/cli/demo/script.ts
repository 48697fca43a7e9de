// What the stand-in model answers in the demo: the caller's two prompts (each calls one of our tools, then
// reports what came back) and the agents (each answers with the FACT line of its own CLAUDE.md).
import type * as StandIn from '../../stand-in/server.js';
import type { Rule, TurnContext } from '../../stand-in/server.js';

/** The builders the script needs, taken from the dynamically imported stand-in module (its own chunk). */
export type ScriptKit = Pick<typeof StandIn, 'text' | 'toolUse' | 'allText'>;

/** The caller's prompts, in the order the demo runs them. */
export const CALLER_PROMPTS = {
  single: 'Ask the payments agent which port its API listens on.',
  parallel: 'Ask the payments and frontend agents, at the same time, how they fit together.',
} as const;

/** How Claude Code names our tools for its model. */
export const toolName = (tool: string) => `mcp__agent-dispatch__${tool}`;

// The tool result as the caller's model saw it: JSON of the structured content (first line; Claude Code may
// append advice after an error).
export function seenResult(ctx: TurnContext): { isError: boolean; data: Record<string, any> } {
  const first = ctx.toolResults[0];
  try {
    return { isError: first?.isError ?? false, data: JSON.parse((first?.content ?? '').split('\n', 1)[0]!) };
  } catch {
    return { isError: first?.isError ?? false, data: { error: first?.content ?? '(no tool result)' } };
  }
}

function summary(view: Record<string, any>): string {
  return view.success ? `${view.agent}: ${view.result}` : `${view.agent} failed (${view.error_type}): ${view.error}`;
}

// The demo's rules, built with the stand-in's builders.
export function demoRules(kit: ScriptKit): Rule[] {
  return [
    {
      name: 'caller: dispatch',
      match: CALLER_PROMPTS.single,
      reply: [
        kit.toolUse(toolName('dispatch'), { agent: 'payments', task: 'Which port does your API listen on?', caller: 'my-app', goal: 'configure the dev proxy' }),
        (ctx) => {
          const seen = seenResult(ctx);
          return kit.text(seen.isError ? `The dispatch failed: ${seen.data.error}` : `The payments agent says: ${seen.data.result}`);
        },
      ],
    },
    {
      name: 'caller: dispatch_parallel',
      match: CALLER_PROMPTS.parallel,
      reply: [
        kit.toolUse(toolName('dispatch_parallel'), {
          dispatches: [
            { agent: 'payments', task: 'What do you store, and where?', caller: 'my-app' },
            { agent: 'frontend', task: 'Which backend do you call?', caller: 'my-app' },
          ],
        }),
        (ctx) => {
          const { isError, data } = seenResult(ctx);
          if (isError || !Array.isArray(data.results)) return kit.text(`The dispatch failed: ${data.error}`);
          return kit.text(`Both answered. ${data.results.map(summary).join(' ')}`);
        },
      ],
    },
    {
      // Any agent run: answer with the FACT line of the CLAUDE.md the CLI loaded from the agent's directory.
      name: 'agent',
      match: (request) => /^FACT: /m.test(kit.allText(request)),
      reply: (ctx) => kit.text(/^FACT: (.*)$/m.exec(kit.allText(ctx.request))?.[1] ?? 'I found no facts.'),
    },
  ];
}
