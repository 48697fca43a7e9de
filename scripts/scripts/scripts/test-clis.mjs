// Installs the CLIs that cannot live in package-lock.json into .test-clis/ (git-ignored), before the tests.
// opencode-ai lists one optional binary package per platform, and the registry here serves only the Linux x64
// ones, so with it in devDependencies `npm ci` refuses the lock file ("Missing: opencode-darwin-arm64").
// A separate prefix keeps `npm ci` exact for everything else. Failure is not fatal: OpenCode tests then skip.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const PINNED = { 'opencode-ai': '1.18.33' };
const root = join(import.meta.dirname, '..', '.test-clis');
const missing = Object.entries(PINNED).filter(([name, version]) => {
  try {
    return JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version !== version;
  } catch {
    return true;
  }
});
if (missing.length > 0 || !existsSync(join(root, 'node_modules', '.bin'))) {
  const specs = missing.map(([name, version]) => `${name}@${version}`);
  try {
    execFileSync('npm', ['install', '--prefix', root, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--loglevel=error', ...specs], { stdio: 'inherit' });
  } catch (error) {
    console.warn(`warning: could not install ${specs.join(', ')} (${error.message}); their tests will be skipped`);
  }
}
