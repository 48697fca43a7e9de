// Size limits shared by the transports and the tools' inputs. A message past the transport's limit never reaches
// a tool, so the long text inputs are bounded in UTF-8 bytes well below it: a call that a tool would accept always
// fits in one message, and a bigger one gets an error that names the field.

/** The largest MCP message accepted, over stdio as over HTTP (the MCP SDK's own stdio limit). */
export const MAX_MESSAGE_BYTES = 10 * 1024 * 1024;
/** The most each long text input (task, context) may take in UTF-8: both together still fit in one message. */
export const MAX_TEXT_INPUT_BYTES = 4 * 1024 * 1024;

// A byte count for messages: "4.0 MiB", "512 KiB", "900 bytes" (pure).
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KiB`;
  return `${bytes} bytes`;
}
