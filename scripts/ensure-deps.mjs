// Installs npm packages when node_modules is missing or older than the lockfile, so that
// `npm start` and `npm test` work on a fresh clone as the one command a user types.
import { execSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const installed = 'node_modules/.package-lock.json';
if (!existsSync(installed)) {
  // A fresh clone: exactly what the lock says, and the lock stays as it is.
  console.log('[setup] installing npm packages…');
  execSync('npm ci --no-audit --no-fund', { stdio: 'inherit' });
} else if (statSync(installed).mtimeMs < statSync('package-lock.json').mtimeMs) {
  // An install to bring up to date (after a pull): npm install changes only what changed, where
  // npm ci would delete node_modules and build everything again. The lock is complete
  // (scripts/check-lock.mjs), so npm install leaves it as it is.
  console.log('[setup] updating npm packages to the lockfile…');
  execSync('npm install --no-audit --no-fund', { stdio: 'inherit' });
}
