// The stand-in Gemini API for Gemini CLI: scripted like the Anthropic stand-in, served at
// `POST {url}/v1beta/models/{model}:streamGenerateContent?alt=sse` (and `:generateContent` for the router).
import { toolUse, type TurnOptions, type TurnSpec } from '../../src/stand-in/script.js';
import { geminiDialect } from './dialects/gemini.js';
import { startDialectModel, type DialectModel, type DialectModelOptions } from './dialects/server.js';

export * from '../../src/stand-in/script.js';
export { allText } from '../../src/stand-in/request.js';
export { dialectFail, type DialectModel, type DialectModelOptions } from './dialects/server.js';
export type { DialectFailure, DialectRequest } from './dialects/types.js';

/** Gemini CLI's shell tool (offered only in yolo approval mode). */
export const GEMINI_SHELL_TOOL = 'run_shell_command';

// Start the stand-in; point Gemini CLI at it with GOOGLE_GEMINI_BASE_URL=model.url (no path).
export function startFakeGemini(options: DialectModelOptions = {}): Promise<DialectModel> {
  return startDialectModel(geminiDialect, options);
}

// A turn in which the model runs `command` through `run_shell_command` (which refuses `$(...)`).
export function geminiShell(command: string, options: TurnOptions & { text?: string } = {}): TurnSpec {
  return toolUse(GEMINI_SHELL_TOOL, { command, description: 'stand-in command' }, options);
}
