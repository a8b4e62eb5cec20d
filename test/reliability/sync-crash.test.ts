/**
 * A sync of several thousand records survives its worker being killed (SIGKILL) mid-page: a new
 * worker finishes it, and every record reaches the target exactly once. Runs the built worker
 * (`dist/worker/main.js`, as `npm start` does) as a child process against the shared Temporal.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { startDemoCrm, type DemoCrm } from '../../demo/crm-server';
import { openStore } from '../../store/open-store';
import { startBuilt, stopBuilt, type BuiltProcess } from '../support/built-process';
import { freePort } from '../support/ports';
import { DEMO_API_KEY, eventually, TEST_CREDENTIALS_KEYS, temporalAddress } from '../support/system';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS package without types
const parsePrometheus = require('parse-prometheus-text-format') as (text: string) => Array<{ name: string; type: string; metrics: Array<{ value?: string; labels?: Record<string, string> }> }>;

const RECORDS = 4_000;
const dataDir = mkdtempSync(join(tmpdir(), 'engine-crash-'));
const taskQueue = `crash-${randomUUID()}`;
const scheduleId = 'syncContactsToMailingList/demo-crm-default';
let crm: DemoCrm;
let client: Client;
let metricsPorts: { connectors: number; sdk: number };

function startWorker(): BuiltProcess {
  return startBuilt('worker', {
    DATA_DIR: dataDir,
    CREDENTIALS_KEYS: TEST_CREDENTIALS_KEYS,
    TEMPORAL_ADDRESS: temporalAddress(),
    TEMPORAL_TASK_QUEUE: taskQueue,
    WORKER_METRICS_PORT: String(metricsPorts.connectors),
    WORKER_SDK_METRICS_PORT: String(metricsPorts.sdk),
    DEMO_SYNC_EVERY: '1h',
    CHANNEL_DEMO_CRM_SETTINGS: JSON.stringify({ baseUrl: crm.url }),
    CHANNEL_DEMO_CRM_CREDENTIALS: JSON.stringify({ apiKey: DEMO_API_KEY }),
  });
}

beforeAll(async () => {
  crm = await startDemoCrm({ apiKey: DEMO_API_KEY, contacts: RECORDS });
  metricsPorts = { connectors: await freePort(), sdk: await freePort() };
  client = new Client({ connection: await Connection.connect({ address: temporalAddress() }) });
});

afterAll(async () => {
  await client?.schedule
    .getHandle(scheduleId)
    .delete()
    .catch(() => undefined);
  await client?.connection.close();
  await crm?.close();
});

it(`finishes a ${RECORDS}-record sync after its worker is killed mid-page, writing every record exactly once`, async () => {
  let worker = startWorker();
  try {
    // Kill while a page's writes are in flight: some reached the CRM, their answers never reach Temporal.
    await eventually(
      () => {
        const size = crm.mailingList.size;
        return size > RECORDS / 4 && size % 100 > 5 && size % 100 < 95 ? true : undefined;
      },
      90_000,
      'the sync to be a quarter done, mid-page',
    );
    await stopBuilt(worker, 'SIGKILL');
    const atKill = crm.mailingList.size;
    expect(atKill).toBeLessThan(RECORDS);

    worker = startWorker();
    const first = await eventually(async () => (await client.schedule.getHandle(scheduleId).describe()).info.recentActions[0]?.action.workflow, 10_000, 'the scheduled run');
    // result() follows the continue-as-new chain to its end.
    const progress = await client.workflow.getHandle(first.workflowId).result();

    expect(progress).toMatchObject({ copied: expect.any(Number), removed: 0, cursor: String(RECORDS) });
    expect(crm.mailingList.size).toBe(RECORDS);
    const writes = [...crm.mailingListWrites.values()];
    expect(writes).toHaveLength(RECORDS);
    expect(writes.filter((count) => count !== 1)).toEqual([]);
    if (process.env.SHOW_SYSTEM_OUTPUT) console.log(`killed at ${atKill} records; ${crm.replayedWrites()} writes were sent again and applied once`);

    // The restarted worker's metrics, as Prometheus scrapes them: the SDK's and the connectors'.
    const sdk = parsePrometheus(await (await fetch(`http://127.0.0.1:${metricsPorts.sdk}/metrics`)).text());
    const sdkFamily = (name: string) => sdk.find((family) => family.name === name);
    expect(sdkFamily('temporal_worker_task_slots_available')?.metrics.some((m) => m.labels?.task_queue === taskQueue)).toBe(true);
    expect(sdk.filter((family) => family.name.startsWith('temporal_activity_')).length).toBeGreaterThan(0);
    const connectors = parsePrometheus(await (await fetch(`http://127.0.0.1:${metricsPorts.connectors}/metrics`)).text());
    const requests = connectors.find((family) => family.name === 'connector_requests_total');
    const upserts = requests?.metrics.filter((m) => m.labels?.connector === 'demo-crm.upsertMailingListMember').reduce((sum, m) => sum + Number(m.value), 0) ?? 0;
    expect(upserts).toBeGreaterThan(0);

    const store = await openStore(dataDir, () => undefined, { CREDENTIALS_KEYS: TEST_CREDENTIALS_KEYS });
    try {
      expect(await store.cursors.get('demo-crm-default', 'syncContactsToMailingList')).toMatchObject({ cursor: String(RECORDS) });
    } finally {
      await store.close();
    }
  } finally {
    await stopBuilt(worker, 'SIGTERM');
    if (process.env.SHOW_SYSTEM_OUTPUT) console.log(worker.output());
  }
}, 240_000);
