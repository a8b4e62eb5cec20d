/**
 * A burst of order webhooks against built API and worker processes (test/reliability's kill
 * tests): the processes' environment, the burst, and how often each order reached the CRM.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import type { DemoCrm } from '../../demo/crm-server';
import { orderPlacedExample } from '../../workflows/order-placed.schema';
import { stopBuilt, type BuiltProcess } from './built-process';
import { freePort } from './ports';
import { DEMO_API_KEY, postJson, TEST_CREDENTIALS_KEYS, temporalAddress } from './system';

/** What the API and worker processes of one test share: a data folder, a task queue of its own, the CRM as the demo channel. */
export async function orderBurstEnv(crm: DemoCrm, name: string): Promise<NodeJS.ProcessEnv> {
  return {
    DATA_DIR: mkdtempSync(join(tmpdir(), `engine-${name}-`)),
    CREDENTIALS_KEYS: TEST_CREDENTIALS_KEYS,
    TEMPORAL_ADDRESS: temporalAddress(),
    TEMPORAL_TASK_QUEUE: name,
    PORT: String(await freePort()),
    WORKER_METRICS_PORT: '0',
    DEMO_SYNC_EVERY: '1h',
    CHANNEL_DEMO_CRM_SETTINGS: JSON.stringify({ baseUrl: crm.url }),
    CHANNEL_DEMO_CRM_CREDENTIALS: JSON.stringify({ apiKey: DEMO_API_KEY }),
  };
}

export const burstOrderId = (tag: string, i: number) => `ord-${tag}-${i}`;
const buyer = (tag: string, i: number) => `buyer-${i}@${tag}.example`;

/** `count` orders, each from a new customer and with a delivery id of its own. */
export function postOrders(env: NodeJS.ProcessEnv, tag: string, count: number) {
  return Promise.all(
    Array.from({ length: count }, (_, i) =>
      postJson(`http://127.0.0.1:${env.PORT}/webhooks/demo-crm/orders`, { ...orderPlacedExample, orderId: burstOrderId(tag, i), customerEmail: buyer(tag, i) }, { 'x-delivery-id': `${tag}-${i}` }),
    ),
  );
}

/** Once every accepted run finished: how often each order and customer reached the CRM (compare with everyOrderOnce). */
export async function ordersApplied(client: Client, crm: DemoCrm, tag: string, accepted: Array<{ body: { workflowId: string } }>) {
  const results = await Promise.all(accepted.map((a) => client.workflow.getHandle(a.body.workflowId).result() as Promise<{ contactId: string; noteId: string }>));
  return {
    distinctNoteIds: new Set(results.map((r) => r.noteId)).size,
    notesPerOrder: accepted.map((_, i) => crm.notes.filter((note) => note.text.startsWith(`Order ${burstOrderId(tag, i)} placed`)).length),
    contactsPerCustomer: accepted.map((_, i) => crm.contacts.filter((contact) => contact.email === buyer(tag, i)).length),
    notes: crm.notes.length,
  };
}

/** What ordersApplied gives when each of `count` orders was applied exactly once: one contact per customer, one note per order. */
export function everyOrderOnce(count: number): Awaited<ReturnType<typeof ordersApplied>> {
  return { distinctNoteIds: count, notesPerOrder: Array(count).fill(1), contactsPerCustomer: Array(count).fill(1), notes: count };
}

/** After a kill test: its processes killed, the demo channel's schedule (created by the API) deleted, the client and CRM closed. */
export async function endOrderBurst(processes: Array<BuiltProcess | undefined>, client: Client | undefined, crm: DemoCrm | undefined): Promise<void> {
  for (const process of processes) await stopBuilt(process, 'SIGKILL');
  await client?.schedule
    .getHandle('syncContactsToMailingList/demo-crm-default')
    .delete()
    .catch(() => undefined);
  await client?.connection.close();
  await crm?.close();
  if (globalThis.process.env.SHOW_SYSTEM_OUTPUT) console.log(...processes.map((built) => built?.output()));
}
