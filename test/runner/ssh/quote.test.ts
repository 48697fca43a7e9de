// Quoting for the remote shell and the wrapper's stdin framing (pure).
import { execFileSync, spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { envScript, shCommand, shQuote } from '../../../src/runner/ssh/quote.js';
import { frameInput, remoteCommand, WRAPPER_SCRIPT } from '../../../src/runner/ssh/wrapper.js';

const WORDS = ['plain', '', 'a b', "it's", '$(touch PWNED)', '`id`', '"q"', 'back\\slash', 'semi;colon', 'new\nline', 'tab\there', '*?[x]', '~', '-n', 'ü 🚀', "''"];

describe('shQuote', () => {
  it.each([
    ['abc', "'abc'"],
    ['', "''"],
    ["it's", `'it'\\''s'`],
    ['$HOME', "'$HOME'"],
  ])('%j → %s', (word, quoted) => expect(shQuote(word)).toBe(quoted));

  it('refuses a NUL byte', () => expect(() => shQuote('a\0b')).toThrow(/NUL/));

  it.each(['sh', 'bash', 'dash'].filter((shell) => {
    try {
      execFileSync(shell, ['-c', 'true']);
      return true;
    } catch {
      return false;
    }
  }))('round-trips every word through %s unchanged', (shell) => {
    const out = execFileSync(shell, ['-c', `printf '%s\\0' ${shCommand(WORDS)}`]);
    expect(out.toString('utf8').split('\0').slice(0, -1)).toEqual(WORDS);
  });
});

describe('envScript', () => {
  it('exports each variable with its value quoted', () => {
    const env = { A: "x'y $(id)", B_2: 'line1\nline2' };
    const out = execFileSync('sh', ['-c', `${envScript(env)}printf '%s|%s' "$A" "$B_2"`]).toString();
    expect(out).toBe("x'y $(id)|line1\nline2");
  });

  it('refuses a name the shell would read as code', () => expect(() => envScript({ 'A;id': 'x' })).toThrow(/invalid environment variable name/));
});

describe('the wrapper', () => {
  it('is valid POSIX sh', () => expect(() => execFileSync('sh', ['-n', '-c', WRAPPER_SCRIPT])).not.toThrow());

  // stdin stays open, as the local ssh keeps it: its EOF is the signal to kill the CLI.
  function runWrapper(command: string, input: Buffer, closeStdinAfterMs?: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn('sh', ['-c', command], { stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.stdin.write(input);
      if (closeStdinAfterMs !== undefined) setTimeout(() => child.stdin.end(), closeStdinAfterMs);
      child.on('close', (code) => {
        child.stdin.destroy();
        resolve({ code, stdout, stderr });
      });
    });
  }

  it('reads the framed env and prompt, runs the CLI in the directory with the prompt on its stdin, and records its exit', async () => {
    const input = frameInput({ GREETING: "hi 'there'" }, 'the prompt\nline 2 ü');
    const run = await runWrapper(remoteCommand('/tmp', 'sh', ['-c', 'printf "%s|%s|" "$GREETING" "$(pwd)"; cat; exit 7']), input);
    expect(run).toMatchObject({ code: 7, stdout: "hi 'there'|/tmp|the prompt\nline 2 ü" });
    expect(run.stderr).toContain('agent-dispatch-remote: exit 7');
  });

  it('kills the CLI when its stdin reaches EOF (the local ssh went away)', async () => {
    const run = await runWrapper(remoteCommand('/tmp', 'sleep', ['30']), frameInput({}, ''), 200);
    expect(run.code).toBe(143);
  });

  it.each([
    ['/nonexistent/dir', 'true', 97, 'no-directory'],
    ['/tmp', 'no-such-cli-here', 98, 'no-cli'],
  ])('exits with its own code when %s / %s is missing', (dir, bin, code, mark) => {
    try {
      execFileSync('sh', ['-c', remoteCommand(dir, bin, [])], { input: frameInput({}, ''), stdio: ['pipe', 'pipe', 'pipe'] });
      expect.unreachable();
    } catch (error) {
      const e = error as { status: number; stderr: Buffer };
      expect(e.status).toBe(code);
      expect(e.stderr.toString()).toContain(`agent-dispatch-remote: ${mark}`);
    }
  });
});
