// Loads the TypeScript sources as they are, without a build: each `.ts` file is transpiled as it
// is required (types are not checked; the hook itself is transpile-hook.cjs, which tests load
// with `node --require`). For the commands that must work before tsc has run, or that should see
// the sources rather than dist/ (`npm run generate`, `npm run new`).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const require = createRequire(import.meta.url);
require('./transpile-hook.cjs');
