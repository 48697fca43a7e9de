// Line framing for a CLI's JSON-lines stdout. Pure: fed with chunks, read line by line, no process involved.
// Lines are split on the byte 0x0A before decoding, so a multi-byte character split across chunks is never
// broken, and invalid UTF-8 only turns into U+FFFD inside its own line.

/** One framed stdout line. */
export type FramedLine =
  | { kind: 'json'; value: Record<string, unknown> }
  | { kind: 'text'; text: string }
  | { kind: 'oversized'; bytes: number };

/** Default cap on one line: a result event carries the whole answer, so this sits well above maxOutputBytes. */
export const DEFAULT_MAX_LINE_BYTES = 32 * 1024 * 1024;

const NEWLINE = 0x0a;

// Splits a byte stream into JSON objects, other text lines and oversized-line markers, keeping memory bounded.
export class LineBuffer {
  private readonly maxLineBytes: number;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Bytes of the current line dropped because it grew past the cap (0 while within the cap). */
  private skippedBytes = 0;
  private ready: FramedLine[] = [];
  private readIndex = 0;

  constructor(options: { maxLineBytes?: number } = {}) {
    this.maxLineBytes = Math.max(1, options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
  }

  // Adds a chunk; complete lines become available through next().
  append(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const end = chunk.indexOf(NEWLINE, start);
      if (end === -1) break;
      this.addPiece(chunk.subarray(start, end));
      this.endLine();
      start = end + 1;
    }
    if (start < chunk.length) this.addPiece(chunk.subarray(start));
  }

  // Treats what is left as a final line (the writer ended without a trailing newline).
  end(): void {
    if (this.pendingBytes > 0 || this.skippedBytes > 0) this.endLine();
  }

  // The next complete line, or null when more input is needed.
  next(): FramedLine | null {
    if (this.readIndex >= this.ready.length) {
      if (this.ready.length > 0) this.ready = [];
      this.readIndex = 0;
      return null;
    }
    const line = this.ready[this.readIndex] as FramedLine;
    this.readIndex += 1;
    return line;
  }

  private addPiece(piece: Buffer): void {
    if (piece.length === 0) return;
    if (this.skippedBytes > 0) {
      this.skippedBytes += piece.length;
      return;
    }
    if (this.pendingBytes + piece.length > this.maxLineBytes) {
      // Too long to keep: drop what we hold and only count the rest of this line.
      this.skippedBytes = this.pendingBytes + piece.length;
      this.pending = [];
      this.pendingBytes = 0;
      return;
    }
    // Copy: the caller may reuse the chunk's memory, and a small slice must not pin a large chunk.
    this.pending.push(Buffer.from(piece));
    this.pendingBytes += piece.length;
  }

  private endLine(): void {
    if (this.skippedBytes > 0) {
      this.ready.push({ kind: 'oversized', bytes: this.skippedBytes });
      this.skippedBytes = 0;
      return;
    }
    const bytes = this.pending.length === 1 ? (this.pending[0] as Buffer) : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    const line = parseLine(bytes.toString('utf8'));
    if (line !== null) this.ready.push(line);
  }
}

// Classifies one decoded line: a JSON object, other text, or nothing for a blank line.
export function parseLine(raw: string): FramedLine | null {
  const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  const trimmed = text.trim();
  if (trimmed === '') return null;
  if (trimmed.startsWith('{')) {
    try {
      const value: unknown = JSON.parse(trimmed);
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        return { kind: 'json', value: value as Record<string, unknown> };
      }
    } catch {
      // Not JSON after all: reported as text below.
    }
  }
  return { kind: 'text', text };
}
