// `npm test`: install what is missing, type-check and build (the system test runs the built
// `npm start` entry), run jest, and close with the line CI reads: "N passed, N failed".
import { spawnSync, execSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function step(command) {
  try {
    execSync(command, { stdio: 'inherit' });
  } catch {
    console.log(`\n"${command}" failed: no test ran\n0 passed, 1 failed`);
    process.exit(1);
  }
}
step('node scripts/ensure-deps.mjs');
// Before tsc: the indexes and the workflows' manifest are derived from the code (npm run generate).
step('node scripts/generate.mjs');
step('npx tsc -p tsconfig.json --noEmit');
step('npx tsc -p api/console/web/tsconfig.json');
step('npx eslint .');
step('npx prettier --check .');
// dist/ exactly as `npm run build` makes it (the compile, the prebuilt workflow bundle, the console).
step('npm run build --silent');

const resultFile = join(mkdtempSync(join(tmpdir(), 'jest-results-')), 'results.json');
const jest = spawnSync('npx', ['jest', '--runInBand', '--json', `--outputFile=${resultFile}`, ...process.argv.slice(2)], { stdio: 'inherit' });

let passed = 0;
let failed = 1;
if (existsSync(resultFile)) {
  const results = JSON.parse(readFileSync(resultFile, 'utf8'));
  passed = results.numPassedTests;
  failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(jest.status === 0 && failed === 0 ? 0 : 1);
