// Reads the 2026-07-28 request envelope (`ctx.mcpReq.envelope`, the `io.modelcontextprotocol/*` keys the SDK lifts out
// of `_meta`). The SDK types the envelope as an empty object, so the keys are read here, once, with their shapes.
import type { ServerContext } from '@modelcontextprotocol/server';

/** The client capabilities key of the envelope. */
export const CLIENT_CAPABILITIES_KEY = 'io.modelcontextprotocol/clientCapabilities';

/** What a client may declare per request. */
export interface DeclaredCapabilities {
  extensions?: Record<string, unknown>;
  [key: string]: unknown;
}

// The client capabilities a modern request declared; undefined on a 2025 request (no envelope).
export function declaredCapabilities(mcp: Pick<ServerContext, 'mcpReq'>): DeclaredCapabilities | undefined {
  const envelope = mcp.mcpReq.envelope as Record<string, unknown> | undefined;
  const value = envelope?.[CLIENT_CAPABILITIES_KEY];
  return value && typeof value === 'object' ? (value as DeclaredCapabilities) : undefined;
}

// True when the request declared the extension `key` (e.g. 'io.modelcontextprotocol/tasks').
export function declaresExtension(mcp: Pick<ServerContext, 'mcpReq'>, key: string): boolean {
  const extensions = declaredCapabilities(mcp)?.extensions;
  return Boolean(extensions && typeof extensions === 'object' && key in extensions);
}
