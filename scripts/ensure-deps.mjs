// Installs npm packages when node_modules is missing or older than the lockfile, so that
// `npm start` and `npm test` work on a fresh clone as the one command a user types.
import { execSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const installed = 'node_modules/.package-lock.json';
const stale = !existsSync(installed) || statSync(installed).mtimeMs < statSync('package-lock.json').mtimeMs;
if (stale) {
  // npm install (not ci): see .ci/run for why the lockfile cannot satisfy npm ci's strict check.
  console.log('[setup] installing npm packages…');
  execSync('npm install --no-audit --no-fund', { stdio: 'inherit' });
}
