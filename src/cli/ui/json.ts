// The one way commands print machine output with --json: pretty JSON, one trailing newline, nothing else on stdout.
import type { TextSink } from '../context.js';

// Write `value` as JSON to the sink.
export function writeJson(sink: TextSink, value: unknown): void {
  sink.write(`${JSON.stringify(value, null, 2)}\n`);
}
