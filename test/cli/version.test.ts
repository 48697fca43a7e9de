// `--version` prints the package's version, which follows the reference's 0.13.0 (README, "Version").
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import { VERSION } from '../../src/shared/version.js';
import { REPO_ROOT } from '../support/harness.js';

describe('the version', () => {
  it('is the one in package.json and package-lock.json, and comes after the reference 0.13.0', async () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as { version: string; packages: Record<string, { version: string }> };
    expect(VERSION).toBe(pkg.version);
    expect([lock.version, lock.packages['']?.version]).toEqual([pkg.version, pkg.version]);
    const [major, minor] = VERSION.split('.').map(Number) as [number, number];
    expect(major > 0 || minor > 13).toBe(true);
    let out = '';
    const code = await runCli(['--version'], { env: {}, cwd: '/', stdout: { write: (s: string) => (out += s) }, stderr: { write: () => {} } });
    expect([code, out]).toEqual([0, `${VERSION}\n`]);
  });
});
