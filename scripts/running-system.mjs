// Which `npm start` runs from this folder, if any, read through the built runtime/pid-file.ts:
// the build that wrote the pid file is the one that reads it. No build means nothing was started.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const require = createRequire(import.meta.url);

/** { pid, file } of the running system, or undefined. */
export function runningSystem() {
  const built = join(root, 'dist', 'runtime', 'pid-file.js');
  if (!existsSync(built)) return undefined;
  const { runningStart, pidFile } = require(built);
  const { dataDir } = require(join(root, 'dist', 'runtime', 'data-dir.js'));
  const pid = runningStart(dataDir());
  return pid ? { pid, file: pidFile(dataDir()) } : undefined;
}
