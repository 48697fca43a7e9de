// The package version, kept in one place (checked against package.json by test/cli/version.test.ts). It continues
// the Python reference's numbering (0.13.0): this is its drop-in successor, so 0.14.0, not a fresh 0.1.0.
export const VERSION = '0.16.0';
