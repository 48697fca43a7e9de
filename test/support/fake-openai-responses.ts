// The stand-in OpenAI Responses API for Codex: scripted like the Anthropic stand-in (same rules, turns,
// failures and builders), served at `POST {url}/v1/responses`. See test/support/dialects/README.md.
import { toolUse, type TurnOptions, type TurnSpec } from '../../src/stand-in/script.js';
import { responsesDialect } from './dialects/responses.js';
import { startDialectModel, type DialectModel, type DialectModelOptions } from './dialects/server.js';

export * from '../../src/stand-in/script.js';
export { allText } from '../../src/stand-in/request.js';
export { dialectFail, type DialectModel, type DialectModelOptions } from './dialects/server.js';
export type { DialectFailure, DialectRequest } from './dialects/types.js';

/** Codex's shell tool. */
export const CODEX_SHELL_TOOL = 'exec_command';

// Start the stand-in; point Codex at `${model.url}/v1` (a custom model provider with wire_api = "responses").
export function startFakeResponses(options: DialectModelOptions = {}): Promise<DialectModel> {
  return startDialectModel(responsesDialect, options);
}

// A turn in which the model runs `cmd` through Codex's `exec_command` tool.
export function codexShell(cmd: string, options: TurnOptions & { text?: string } = {}): TurnSpec {
  return toolUse(CODEX_SHELL_TOOL, { cmd }, options);
}
