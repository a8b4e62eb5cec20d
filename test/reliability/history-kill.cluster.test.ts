/**
 * Temporal as production runs it (test/support/temporal-cluster: the server built from its Go
 * module on PostgreSQL, each service a process of its own), with its history service killed
 * (SIGKILL) in the middle of a sync of several thousand records and started again: the worker
 * rides it out and every record reaches the target exactly once. Runs with `npm run test:cluster`
 * (the first run builds the server, about 9 minutes, cached outside the repository).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { startDemoCrm, type DemoCrm } from '../../demo/crm-server';
import { startBuilt, stopBuilt, type BuiltProcess } from '../support/built-process';
import { startTestPostgres, type TestPostgres } from '../support/postgres';
import { DEMO_API_KEY, eventually, TEST_CREDENTIALS_KEYS } from '../support/system';
import { startTemporalCluster, type TemporalCluster } from '../support/temporal-cluster/cluster';

const RECORDS = 3_000;
const scheduleId = 'syncContactsToMailingList/demo-crm-default';
let postgres: TestPostgres;
let cluster: TemporalCluster;
let crm: DemoCrm;
let client: Client;

beforeAll(async () => {
  // A cluster of its own (its own PostgreSQL): this test kills one of its services.
  postgres = await startTestPostgres();
  cluster = await startTemporalCluster({ postgresUrl: postgres.url, cliPath: process.env.TEMPORAL_CLI_PATH! });
  crm = await startDemoCrm({ apiKey: DEMO_API_KEY, contacts: RECORDS });
  client = new Client({ connection: await Connection.connect({ address: cluster.address }) });
}, 180_000);

afterAll(async () => {
  await client?.connection.close();
  await crm?.close();
  await cluster?.stop();
  await postgres?.stop();
});

it(`finishes a ${RECORDS}-record sync after Temporal's history service is killed mid-sync, writing every record exactly once`, async () => {
  let worker: BuiltProcess | undefined;
  try {
    worker = startBuilt('worker', {
      DATA_DIR: mkdtempSync(join(tmpdir(), 'engine-history-kill-')),
      CREDENTIALS_KEYS: TEST_CREDENTIALS_KEYS,
      TEMPORAL_ADDRESS: cluster.address,
      TEMPORAL_TASK_QUEUE: `history-kill-${randomUUID()}`,
      WORKER_METRICS_PORT: '0',
      WORKER_SDK_METRICS_PORT: '0',
      DEMO_SYNC_EVERY: '1h',
      CHANNEL_DEMO_CRM_SETTINGS: JSON.stringify({ baseUrl: crm.url }),
      CHANNEL_DEMO_CRM_CREDENTIALS: JSON.stringify({ apiKey: DEMO_API_KEY }),
    });
    await eventually(() => (crm.mailingList.size > RECORDS / 4 ? true : undefined), 120_000, 'the sync to be a quarter done');
    const historyPid = cluster.pid('history');
    await cluster.kill('history');
    const atKill = crm.mailingList.size;
    // Without history nothing new can be recorded: the writes in flight finish, then the sync waits.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(worker.child.exitCode).toBeNull();
    cluster.restart('history');
    expect(cluster.pid('history')).not.toBe(historyPid);

    const first = await eventually(async () => (await client.schedule.getHandle(scheduleId).describe()).info.recentActions[0]?.action.workflow, 60_000, 'the scheduled run');
    // result() follows the continue-as-new chain to its end.
    const progress = await client.workflow.getHandle(first.workflowId).result();

    expect(atKill).toBeLessThan(RECORDS);
    expect(progress).toMatchObject({ removed: 0, cursor: String(RECORDS) });
    expect(crm.mailingList.size).toBe(RECORDS);
    const writes = [...crm.mailingListWrites.values()];
    expect(writes).toHaveLength(RECORDS);
    expect(writes.filter((count) => count !== 1)).toEqual([]);
    if (process.env.SHOW_SYSTEM_OUTPUT) console.log(`history killed at ${atKill} records; ${crm.replayedWrites()} writes were sent again and applied once`);
  } finally {
    await stopBuilt(worker, 'SIGTERM');
    if (process.env.SHOW_SYSTEM_OUTPUT) console.log(worker?.output());
  }
}, 300_000);
