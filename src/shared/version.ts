// The package version, kept in one place (checked against package.json by a test).
export const VERSION = '0.1.0';
