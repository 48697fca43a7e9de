// Reads agents.yaml as text, refusing with a clear message what no editor meant to save there: a file over the
// size cap (a wrong path or a runaway script), UTF-16 or UTF-32 text (Windows editors' "Unicode"), invalid UTF-8.
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { DispatchError } from '../shared/errors.js';

/** The largest agents.yaml read: thousands of agents fit in a fraction of it. */
export const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

function invalid(path: string, message: string, hint: string): DispatchError {
  return new DispatchError('CONFIG_INVALID', `Cannot read the config file ${path}: ${message}`, { hint });
}

// The file's text (a UTF-8 byte order mark dropped), or undefined when it does not exist.
export function readConfigText(path: string, maxBytes = MAX_CONFIG_BYTES): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new DispatchError('CONFIG_INVALID', `Cannot read the config file ${path}: ${(error as Error).message}`, {
      hint: 'Check that the file is readable, or point AGENT_DISPATCH_CONFIG at another file.',
      cause: error,
    });
  }
  try {
    const size = fstatSync(fd).size;
    if (size > maxBytes) {
      throw invalid(path, `it is ${mib(size)}, over the ${mib(maxBytes)} an agents.yaml may have.`, 'Check that AGENT_DISPATCH_CONFIG points at your agents.yaml; a config of even thousands of agents is far smaller.');
    }
    // Read up to one byte past the cap: the file may have grown since fstat.
    const buf = Buffer.alloc(Math.min(size, maxBytes) + 1);
    let length = 0;
    while (length < buf.length) {
      const n = readSync(fd, buf, length, buf.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > maxBytes) throw invalid(path, `it is over the ${mib(maxBytes)} an agents.yaml may have.`, 'Check that AGENT_DISPATCH_CONFIG points at your agents.yaml.');
    return decode(path, buf.subarray(0, length));
  } finally {
    closeSync(fd);
  }
}

// UTF-8 only, as the reference's loader reads it; other encodings get a message naming them.
export function decode(path: string, bytes: Buffer): string {
  const toUtf8 = 'Save it as UTF-8 (in most editors: "Save with encoding", UTF-8), or convert it: iconv -f UTF-16 -t UTF-8 agents.yaml > agents.utf8.yaml';
  if (bytes.length >= 4 && ((bytes[0] === 0xff && bytes[1] === 0xfe && bytes[2] === 0 && bytes[3] === 0) || (bytes[0] === 0 && bytes[1] === 0 && bytes[2] === 0xfe && bytes[3] === 0xff))) {
    throw invalid(path, 'it is UTF-32 text; agents.yaml must be UTF-8.', toUtf8.replace('UTF-16', 'UTF-32'));
  }
  const bom16 = bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff));
  // Without a byte order mark, UTF-16 shows as a NUL byte in every other place of ASCII text.
  const nul = bytes.indexOf(0);
  if (bom16 || (nul >= 0 && nul < 64)) throw invalid(path, 'it is UTF-16 text; agents.yaml must be UTF-8.', toUtf8);
  if (nul >= 0) throw invalid(path, `it holds a NUL byte at offset ${nul}; it is not a text file.`, 'Check that AGENT_DISPATCH_CONFIG points at your agents.yaml.');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw invalid(path, 'it is not valid UTF-8 (perhaps Latin-1 or Windows-1252 text).', 'Save it as UTF-8, or convert it: iconv -f WINDOWS-1252 -t UTF-8 agents.yaml > agents.utf8.yaml');
  }
}

// Identity of the file's current content: inode, size and times at nanosecond precision; undefined when missing.
export function fingerprint(path: string): { key: string; mtimeMs: number } | undefined {
  try {
    const s = statSync(path, { bigint: true });
    return { key: `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`, mtimeMs: Number(s.mtimeNs / 1_000_000n) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new DispatchError('CONFIG_INVALID', `Cannot read the config file ${path}: ${(error as Error).message}`, { cause: error });
  }
}
