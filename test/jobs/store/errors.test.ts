import { describe, expect, it } from 'vitest';
import { isBusy, isCorruption, isOpenRace } from '../../../src/jobs/store/errors.js';

// An error as better-sqlite3 throws it: a SqliteError with an extended result code.
const sqlite = (code: string) => Object.assign(new Error(code), { code });

describe('classifying SQLite failures', () => {
  it.each([
    ['SQLITE_BUSY', true, false, true],
    ['SQLITE_BUSY_SNAPSHOT', true, false, true],
    ['SQLITE_LOCKED', true, false, true],
    ['SQLITE_PROTOCOL', false, false, true],
    ['SQLITE_CORRUPT', false, true, true],
    ['SQLITE_NOTADB', false, true, true],
    ['SQLITE_CANTOPEN', false, false, false],
    ['SQLITE_READONLY', false, false, false],
    ['EACCES', false, false, false],
  ])('%s: busy %s, corrupt %s, worth another try on a file being created %s', (code, busy, corrupt, race) => {
    const error = sqlite(code);
    expect([isBusy(error), isCorruption(error), isOpenRace(error)]).toEqual([busy, corrupt, race]);
  });

  it('reads no code from something that is not an error', () => {
    expect([isBusy(undefined), isCorruption(null), isOpenRace('SQLITE_BUSY')]).toEqual([false, false, false]);
  });
});
