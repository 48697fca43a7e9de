// The prompt a dispatched agent receives. Shared by every runtime: only the transport differs per CLI.

/** The parts of a prompt; everything except the task is optional. */
export interface PromptParts {
  task: string;
  goal?: string;
  caller?: string;
  context?: string;
}

/** One titled section of a prompt. */
export interface PromptSection {
  title: 'Goal' | 'Dispatched by' | 'Context' | 'Task';
  body: string;
}

// The sections a prompt is made of, in order: Goal, Dispatched by, Context (each trimmed, only when set), then the
// task untouched. The dashboard shows a stored job's prompt through this too, so it shows what the agent got.
export function promptSections(parts: PromptParts): PromptSection[] {
  const sections: PromptSection[] = [];
  for (const [title, body] of [['Goal', parts.goal], ['Dispatched by', parts.caller], ['Context', parts.context]] as const) {
    const trimmed = body?.trim() ?? '';
    if (trimmed !== '') sections.push({ title, body: trimmed });
  }
  return [...sections, { title: 'Task', body: parts.task }];
}

// Builds the structured prompt: `## Goal`, `## Dispatched by`, `## Context`, `## Task`, each only when set.
// With nothing but a task the prompt is the task itself, byte for byte: a lone `## Task` heading tells the
// agent nothing and would make "the task reaches the model unchanged" false for the common case.
export function buildPrompt(parts: PromptParts): string {
  const sections = promptSections(parts);
  if (sections.length === 1) return parts.task;
  return sections.map(({ title, body }) => `## ${title}\n${body}`).join('\n\n');
}
