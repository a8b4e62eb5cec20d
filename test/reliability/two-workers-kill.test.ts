/**
 * Two worker processes share the task queues, as a scaled-out deployment runs them; one is killed
 * (SIGKILL) in the middle of a webhook burst. The other finishes every run, and each order lands
 * on the CRM exactly once. The order flow makes its calls as local activities: what the killed
 * worker was running is run again by the survivor once its workflow task times out, and the
 * idempotency keys (the same on the re-run) keep the CRM from applying a call twice.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { startDemoCrm, type DemoCrm } from '../../demo/crm-server';
import { orderPlacedExample } from '../../workflows/order-placed.schema';
import { startBuilt, stopBuilt, type BuiltProcess } from '../support/built-process';
import { freePort } from '../support/ports';
import { DEMO_API_KEY, eventually, getJson, postJson, TEST_CREDENTIALS_KEYS, temporalAddress } from '../support/system';

const ORDERS = Number(process.env.RELIABILITY_WEBHOOK_FLOWS ?? 150);
const tag = randomUUID().slice(0, 8);
let crm: DemoCrm;
let client: Client;
let env: NodeJS.ProcessEnv;
let api: BuiltProcess | undefined;
const workers: BuiltProcess[] = [];

beforeAll(async () => {
  crm = await startDemoCrm({ apiKey: DEMO_API_KEY, contacts: 0 });
  client = new Client({ connection: await Connection.connect({ address: temporalAddress() }) });
  env = {
    DATA_DIR: mkdtempSync(join(tmpdir(), 'engine-two-workers-')),
    CREDENTIALS_KEYS: TEST_CREDENTIALS_KEYS,
    TEMPORAL_ADDRESS: temporalAddress(),
    TEMPORAL_TASK_QUEUE: `two-workers-${tag}`,
    PORT: String(await freePort()),
    WORKER_METRICS_PORT: '0',
    DEMO_SYNC_EVERY: '1h',
    CHANNEL_DEMO_CRM_SETTINGS: JSON.stringify({ baseUrl: crm.url }),
    CHANNEL_DEMO_CRM_CREDENTIALS: JSON.stringify({ apiKey: DEMO_API_KEY }),
  };
  api = startBuilt('api', env);
  await eventually(async () => ((await getJson(`http://127.0.0.1:${env.PORT}/health`).catch(() => undefined))?.status === 200 ? true : undefined), 30_000, 'the API to be healthy');
  for (let i = 0; i < 2; i++) workers.push(startBuilt('worker', { ...env, WORKER_SDK_METRICS_PORT: String(await freePort()) }));
});

afterAll(async () => {
  for (const worker of workers) await stopBuilt(worker, 'SIGKILL');
  await stopBuilt(api, 'SIGKILL');
  await client?.schedule
    .getHandle('syncContactsToMailingList/demo-crm-default')
    .delete()
    .catch(() => undefined);
  await client?.connection.close();
  await crm?.close();
  if (process.env.SHOW_SYSTEM_OUTPUT) console.log(api?.output(), ...workers.map((worker) => worker.output()));
});

it(`finishes ${ORDERS} webhook flows on the surviving worker when the other is killed mid-burst, each order applied once`, async () => {
  const orderId = (i: number) => `ord-${tag}-${i}`;
  const burst = Promise.all(
    Array.from({ length: ORDERS }, (_, i) =>
      postJson(
        `http://127.0.0.1:${env.PORT}/webhooks/demo-crm/orders`,
        { ...orderPlacedExample, orderId: orderId(i), customerEmail: `buyer-${i}@${tag}.example` },
        { 'x-delivery-id': `two-${tag}-${i}` },
      ),
    ),
  );
  // Both workers take flows; one dies with some of them half way.
  await eventually(() => (crm.notes.length >= ORDERS / 3 ? true : undefined), 120_000, 'a third of the orders to be noted');
  await stopBuilt(workers[0], 'SIGKILL');
  const notedAtKill = crm.notes.length;
  const accepted = await burst;
  expect(accepted.map((a) => a.status)).toEqual(Array(ORDERS).fill(202));
  expect(notedAtKill).toBeLessThan(ORDERS);

  const results = await Promise.all(accepted.map((a) => client.workflow.getHandle(a.body.workflowId).result() as Promise<{ contactId: string; noteId: string }>));
  expect(new Set(results.map((r) => r.noteId)).size).toBe(ORDERS);
  for (let i = 0; i < ORDERS; i++) {
    expect(crm.notes.filter((note) => note.text.startsWith(`Order ${orderId(i)} placed`))).toHaveLength(1);
    expect(crm.contacts.filter((contact) => contact.email === `buyer-${i}@${tag}.example`)).toHaveLength(1);
  }
  expect(crm.notes).toHaveLength(ORDERS);
  if (process.env.SHOW_SYSTEM_OUTPUT) console.log(`one of two workers killed with ${notedAtKill} of ${ORDERS} orders noted`);
}, 300_000);
