// The stand-in OpenAI Chat Completions API for OpenCode: scripted like the Anthropic stand-in, served at
// `POST {url}/v1/chat/completions`; OpenCode's title-generator call is answered without the rules.
import { toolUse, type TurnOptions, type TurnSpec } from '../../src/stand-in/script.js';
import { chatDialect } from './dialects/chat.js';
import { startDialectModel, type DialectModel, type DialectModelOptions } from './dialects/server.js';

export * from '../../src/stand-in/script.js';
export { allText } from '../../src/stand-in/request.js';
export { dialectFail, type DialectModel, type DialectModelOptions } from './dialects/server.js';
export type { DialectFailure, DialectRequest } from './dialects/types.js';

/** OpenCode's shell tool. */
export const OPENCODE_SHELL_TOOL = 'bash';

// Start the stand-in; point OpenCode at `${model.url}/v1` (an @ai-sdk/openai-compatible provider).
export function startFakeChat(options: DialectModelOptions = {}): Promise<DialectModel> {
  return startDialectModel(chatDialect, options);
}

// A turn in which the model runs `command` through OpenCode's `bash` tool.
export function opencodeShell(command: string, options: TurnOptions & { text?: string } = {}): TurnSpec {
  return toolUse(OPENCODE_SHELL_TOOL, { command, description: 'stand-in command' }, options);
}
