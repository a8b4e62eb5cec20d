/**
 * A burst of order webhooks against built API and worker processes (test/reliability's kill
 * tests): the processes' environment, the burst, and the check that every order reached the CRM
 * exactly once.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import type { DemoCrm } from '../../demo/crm-server';
import { orderPlacedExample } from '../../workflows/order-placed.schema';
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

/** Every accepted run finished, and each order is on the CRM once: one contact per customer, one note per order. */
export async function expectEachOrderOnce(client: Client, crm: DemoCrm, tag: string, accepted: Array<{ body: { workflowId: string } }>): Promise<void> {
  const results = await Promise.all(accepted.map((a) => client.workflow.getHandle(a.body.workflowId).result() as Promise<{ contactId: string; noteId: string }>));
  expect(new Set(results.map((r) => r.noteId)).size).toBe(accepted.length);
  for (let i = 0; i < accepted.length; i++) {
    expect(crm.notes.filter((note) => note.text.startsWith(`Order ${burstOrderId(tag, i)} placed`))).toHaveLength(1);
    expect(crm.contacts.filter((contact) => contact.email === buyer(tag, i))).toHaveLength(1);
  }
  expect(crm.notes).toHaveLength(accepted.length);
}
