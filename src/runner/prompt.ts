// The prompt a dispatched agent receives. Shared by every runtime: only the transport differs per CLI.

/** The parts of a prompt; everything except the task is optional. */
export interface PromptParts {
  task: string;
  goal?: string;
  caller?: string;
  context?: string;
}

// Builds the structured prompt: `## Goal`, `## Dispatched by`, `## Context`, `## Task`, each only when set.
// With nothing but a task the prompt is the task itself, byte for byte: a lone `## Task` heading tells the
// agent nothing and would make "the task reaches the model unchanged" false for the common case.
export function buildPrompt(parts: PromptParts): string {
  const sections: [string, string | undefined][] = [
    ['Goal', parts.goal],
    ['Dispatched by', parts.caller],
    ['Context', parts.context],
  ];
  const set = sections
    .map(([title, body]) => [title, body?.trim() ?? ''] as const)
    .filter(([, body]) => body !== '');
  if (set.length === 0) return parts.task;
  return [...set.map(([title, body]) => `## ${title}\n${body}`), `## Task\n${parts.task}`].join('\n\n');
}
