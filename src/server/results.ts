// Builds CallToolResults. Claude Code shows the model only structuredContent when present,
// so every answer the model needs is inside it; the text carries the same data for older clients.
import type { CallToolResult } from '@modelcontextprotocol/server';
import { isDispatchError, type DispatchError } from '../shared/errors.js';
import type { ErrorType } from '../shared/types.js';
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

/** The error_type a caller branches on, for a local failure that stopped a dispatch before any agent ran. */
export function errorTypeOf(error: DispatchError): ErrorType {
  switch (error.code) {
    case 'BUDGET_EXCEEDED':
      return 'budget';
    case 'AGENT_NOT_FOUND':
    case 'GROUP_NOT_FOUND':
    case 'JOB_NOT_FOUND':
    case 'DIRECTORY_NOT_FOUND':
    case 'CLAUDE_NOT_FOUND':
      return 'not_found';
    default:
      return 'cli_error';
  }
}

// Map a thrown error to a tool error: our coded errors carry their type and hint; anything else is logged as a bug.
export function errorResult(error: unknown, logger: Logger): CallToolResult {
  if (isDispatchError(error)) {
    const message = error.hint ? `${error.message}\nHint: ${error.hint}` : error.message;
    // A budget refusal is what callers must tell apart (the reference's error_type); the rest stay plain text.
    return error.code === 'BUDGET_EXCEEDED' ? toolError(message, { error_type: 'budget', ...(error.hint ? { hint: error.hint } : {}) }) : toolError(message);
  }
  logger.error(`tool failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return toolError(`Internal error: ${error instanceof Error ? error.message : String(error)}. The server is still running; retry, or run \`agent-dispatch doctor\`.`);
}
