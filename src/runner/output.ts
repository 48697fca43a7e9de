// Bounded keeping of what an agent prints: a capped answer text and a rolling stderr tail.

/** Default cap on the answer text kept in memory (RunnerOptions.maxOutputBytes). */
export const DEFAULT_MAX_OUTPUT_BYTES = 4 * 1024 * 1024;

/** Default number of stderr bytes kept for diagnosis. */
export const DEFAULT_STDERR_TAIL_BYTES = 16 * 1024;

// Cuts text to at most maxBytes of UTF-8 (on a character boundary) and appends a marker with the full size.
export function capText(text: string, maxBytes: number): { text: string; truncated?: { fullBytes: number } } {
  // Fast path: one UTF-16 code unit is at most 3 UTF-8 bytes.
  if (text.length * 3 <= maxBytes) return { text };
  const fullBytes = Buffer.byteLength(text, 'utf8');
  if (fullBytes <= maxBytes) return { text };
  const head = Buffer.from(text, 'utf8').subarray(0, Math.max(0, maxBytes));
  const kept = dropPartialCharAtEnd(head).toString('utf8');
  const keptBytes = Buffer.byteLength(kept, 'utf8');
  return {
    text: `${kept}\n\n[agent-dispatch: output truncated, kept the first ${keptBytes} of ${fullBytes} bytes]`,
    truncated: { fullBytes },
  };
}

// Removes an incomplete UTF-8 sequence left at the end of a byte slice.
function dropPartialCharAtEnd(bytes: Buffer): Buffer {
  let i = bytes.length - 1;
  let continuation = 0;
  while (i >= 0 && ((bytes[i] as number) & 0xc0) === 0x80 && continuation < 3) {
    i -= 1;
    continuation += 1;
  }
  if (i < 0) return bytes;
  const lead = bytes[i] as number;
  const need = lead >= 0xf0 ? 3 : lead >= 0xe0 ? 2 : lead >= 0xc0 ? 1 : 0;
  return need > continuation ? bytes.subarray(0, i) : bytes;
}

// Keeps only the last maxBytes written to it, so a flood of output costs constant memory.
export class TailBuffer {
  private chunks: Buffer[] = [];
  private bytes = 0;
  private total = 0;

  constructor(private readonly maxBytes: number = DEFAULT_STDERR_TAIL_BYTES) {}

  // Adds a chunk, dropping the oldest bytes beyond the cap.
  push(chunk: Buffer): void {
    this.total += chunk.length;
    if (chunk.length >= this.maxBytes) {
      this.chunks = [Buffer.from(chunk.subarray(chunk.length - this.maxBytes))];
      this.bytes = this.maxBytes;
      return;
    }
    this.chunks.push(Buffer.from(chunk));
    this.bytes += chunk.length;
    while (this.bytes - (this.chunks[0] as Buffer).length >= this.maxBytes) {
      this.bytes -= (this.chunks.shift() as Buffer).length;
    }
  }

  /** Bytes seen in total. */
  get totalBytes(): number {
    return this.total;
  }

  // The kept tail as text; a character cut at the start is dropped rather than shown as garbage.
  toString(): string {
    let buf = Buffer.concat(this.chunks, this.bytes);
    if (buf.length > this.maxBytes) buf = buf.subarray(buf.length - this.maxBytes);
    let start = 0;
    while (start < buf.length && start < 3 && ((buf[start] as number) & 0xc0) === 0x80) start += 1;
    return buf.subarray(start).toString('utf8');
  }
}
