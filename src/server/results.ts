// Builds CallToolResults. Claude Code shows the model only structuredContent when present,
// so every answer the model needs is inside it; the text carries the same data for older clients.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { isDispatchError } from '../shared/errors.js';
import type { Logger } from '../shared/log.js';

/** A successful tool result: structured data plus the same data as JSON text. */
export function toolResult(data: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(data) }], structuredContent: data };
}

/** A failed tool result the model can act on. `data` (if any) rides along in structuredContent. */
export function toolError(message: string, data?: Record<string, unknown>): CallToolResult {
  if (data) return { content: [{ type: 'text', text: JSON.stringify({ error: message, ...data }) }], structuredContent: { error: message, ...data }, isError: true };
  return { content: [{ type: 'text', text: message }], isError: true };
}

// Map a thrown error to a tool error: our coded errors carry their hint; anything else is logged as a bug.
export function errorResult(error: unknown, logger: Logger): CallToolResult {
  if (isDispatchError(error)) return toolError(error.hint ? `${error.message}\nHint: ${error.hint}` : error.message);
  logger.error(`tool failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return toolError(`Internal error: ${error instanceof Error ? error.message : String(error)}. The server is still running; retry, or run \`agent-dispatch doctor\`.`);
}

// Run a tool body and turn any throw into an isError result, so bad input never escapes as a protocol error.
export function guarded<A extends unknown[]>(logger: Logger, body: (...args: A) => Promise<CallToolResult>) {
  return async (...args: A): Promise<CallToolResult> => {
    try {
      return await body(...args);
    } catch (error) {
      return errorResult(error, logger);
    }
  };
}
