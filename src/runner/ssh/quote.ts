// POSIX shell quoting for the one string ssh hands the remote login shell. Pure and table-tested.
// ssh joins its remote arguments with spaces and the remote shell re-parses them, so every word is quoted here.

// One word in single quotes; a single quote becomes '\'' (close, escaped quote, reopen). Safe in sh, bash,
// dash, ksh and zsh; fish and csh quote differently (the remote user's login shell must be POSIX-like).
export function shQuote(word: string): string {
  if (word.includes('\0')) throw new Error('a NUL byte cannot be passed to a remote shell');
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

// Words → one command line for the remote shell.
export function shCommand(words: readonly string[]): string {
  return words.map(shQuote).join(' ');
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

// Environment → `export NAME='value'` lines for the remote wrapper to source. It travels on stdin, so values
// (API keys) never show in the remote `ps`; names are checked because they are not quoted.
export function envScript(env: Readonly<Record<string, string>>): string {
  let script = '';
  for (const [name, value] of Object.entries(env)) {
    if (!ENV_NAME.test(name)) throw new Error(`invalid environment variable name "${name}"`);
    script += `export ${name}=${shQuote(value)}\n`;
  }
  return script;
}
