/**
 * One real Temporal dev server for the whole test run (SQLite file in a temp folder, headless),
 * found or installed through the same code `npm start` uses.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDevServer } from '../runtime/dev-server';
import { ensureTemporalCli } from '../runtime/temporal-cli';
import { freePort } from './support/ports';

export default async function globalSetup(): Promise<void> {
  const cliPath = ensureTemporalCli();
  const dir = mkdtempSync(join(tmpdir(), 'engine-test-temporal-'));
  const server = await startDevServer({ cliPath, dbFile: join(dir, 'temporal.sqlite'), port: await freePort() });
  (globalThis as { __TEMPORAL_DEV_SERVER__?: unknown }).__TEMPORAL_DEV_SERVER__ = server;
  process.env.TEST_TEMPORAL_ADDRESS = server.address;
  process.env.TEMPORAL_CLI_PATH = cliPath;
}
