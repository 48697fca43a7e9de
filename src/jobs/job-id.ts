// Job ids as people type them: the full 32 hex digits or a unique prefix of 6 or more. Shared by the local store's
// lookup and the pool's, so both accept and refuse the same input with the same words.
import { DispatchError } from '../shared/errors.js';

// The id (lower-cased) when it is well formed: full, or a prefix long enough to pick a job. Throws otherwise.
export function checkJobIdShape(raw: string): string {
  const text = raw.trim().toLowerCase();
  if (/^[0-9a-f]{32}$/.test(text)) return text;
  if (!/^[0-9a-f]{6,31}$/.test(text)) {
    const shown = JSON.stringify(raw.length > 40 ? `${raw.slice(0, 40)}…` : raw);
    const why = /^[0-9a-f]{1,5}$/.test(text) ? 'is too short to pick a job' : 'is not a job id';
    throw new DispatchError('INVALID_INPUT', `${shown} ${why}: give the full 32-character id or a unique prefix of 6 or more of its characters.`, {
      hint: '`agent-dispatch jobs` lists the jobs with the first 8 characters of each id.',
    });
  }
  return text;
}

// The one id among `ids` that starts with `prefix`; a clear error when none or several do.
export function pickJobId(prefix: string, ids: string[]): string {
  const matches = ids.filter((id) => id.startsWith(prefix));
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0) {
    throw new DispatchError('JOB_NOT_FOUND', `No job id starts with ${prefix}.`, { hint: '`agent-dispatch jobs` lists the known jobs.' });
  }
  throw new DispatchError('INVALID_INPUT', `${matches.length} jobs start with ${prefix}: ${matches.slice(0, 5).join(', ')}.`, {
    hint: 'Give more characters of the id.',
  });
}
