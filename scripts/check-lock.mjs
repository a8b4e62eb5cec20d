// The lockfile must list every platform's optional native packages, not only this machine's.
// When it lacked those of @swc/core and unrs-resolver (25 packages), `npm ci` refused it on other
// platforms, and the first `npm install` anywhere wrote ~365 lines into it: a newcomer's first
// `npm start` changed a tracked file. CI runs this before `npm ci`; `npm install` from a registry
// that serves every platform's packages puts them back.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const packages = lock.packages ?? {};
const problems = [];

/** Where Node would find `name` from the package at `path` (its own node_modules, then each parent's). */
function resolves(path, name) {
  for (let dir = path; ; dir = dir.slice(0, Math.max(0, dir.lastIndexOf('/node_modules/')))) {
    if (packages[dir ? `${dir}/node_modules/${name}` : `node_modules/${name}`]) return true;
    if (!dir) return false;
  }
}

for (const [path, entry] of Object.entries(packages)) {
  for (const name of Object.keys(entry.optionalDependencies ?? {})) {
    if (!resolves(path, name)) problems.push(`${path || '(root)'}: optional dependency ${name} is not in the lock`);
  }
}
for (const field of ['dependencies', 'devDependencies', 'optionalDependencies']) {
  for (const [name, range] of Object.entries(manifest[field] ?? {})) {
    if (packages[''][field]?.[name] !== range) problems.push(`package.json ${field}.${name} ${range} is not what the lock records (${packages[''][field]?.[name] ?? 'absent'}): run npm install`);
  }
}

if (problems.length) {
  console.error(`package-lock.json is incomplete:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`package-lock.json: ${Object.keys(packages).length - 1} packages, every optional platform package listed`);
