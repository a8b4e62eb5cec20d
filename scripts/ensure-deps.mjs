// Installs npm packages when node_modules is missing or older than the lockfile, so that
// `npm start` and `npm test` work on a fresh clone as the one command a user types.
import { execSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const installed = 'node_modules/.package-lock.json';
const stale = !existsSync(installed) || statSync(installed).mtimeMs < statSync('package-lock.json').mtimeMs;
if (stale) {
  // npm ci: exactly what the lock says, and the lock stays as it is (npm install may rewrite it).
  console.log('[setup] installing npm packages…');
  execSync('npm ci --no-audit --no-fund', { stdio: 'inherit' });
}
