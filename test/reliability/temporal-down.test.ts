/**
 * Temporal goes away under a running engine. A clean stop: /health and webhooks answer 503 and
 * nothing is started; when Temporal is back on the same SQLite file, everything answers again.
 * A crash (SIGKILL) in the middle of a sync: once Temporal is back, the sync finishes, every
 * record written exactly once.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkflowNotFoundError } from '@temporalio/client';
import { boundToBody } from '../../api/webhooks/delivery-id';
import { startDevServer, type DevServer } from '../../runtime/dev-server';
import { ensureTemporalCli } from '../../runtime/temporal-cli';
import { orderPlacedExample } from '../../workflows/order-placed.schema';
import { freePort } from '../support/ports';
import { eventually, getJson, postJson, startTestSystem, type TestSystem } from '../support/system';

const RECORDS = 3_000;
// Short, so a 503 that waited for it is told apart from a hang even on a loaded machine.
const ACCEPT_TIMEOUT_MS = 2_000;
let server: DevServer;
let system: TestSystem;
let port: number;
const dbFile = join(mkdtempSync(join(tmpdir(), 'engine-down-')), 'temporal.sqlite');

const startServer = () => startDevServer({ cliPath: ensureTemporalCli(), dbFile, port });

beforeAll(async () => {
  port = await freePort();
  server = await startServer();
  system = await startTestSystem({ address: server.address, contacts: RECORDS });
});
afterAll(async () => {
  await system?.stop();
  await server?.stop();
});

it('answers 503 from /health and from new webhooks while Temporal is down (a redelivery of an accepted one still gets its 202), and recovers', async () => {
  expect((await getJson(`${system.apiUrl}/health`)).status).toBe(200);
  const before = await postJson(`${system.apiUrl}/webhooks/demo-crm/orders`, orderPlacedExample, { 'x-delivery-id': 'before-outage' });
  expect(before.status).toBe(202);
  await system.client.workflow.getHandle(before.body.workflowId).result();

  await server.stop();

  const health = await getJson(`${system.apiUrl}/health`);
  expect(health.status).toBe(503);
  expect(health.body).toMatchObject({ status: 'unavailable', temporal: { reachable: false, reason: expect.stringMatching(/^Temporal is not reachable/) } });

  // A redelivery of what Temporal accepted before the outage is answered from the API's memory.
  const redelivered = await postJson(`${system.apiUrl}/webhooks/demo-crm/orders`, orderPlacedExample, { 'x-delivery-id': 'before-outage' });
  expect(redelivered).toMatchObject({ status: 202, body: { workflowId: before.body.workflowId, runId: before.body.runId, duplicate: true } });

  const askedAt = Date.now();
  // Read per delivery, like every setting the API's env gives it.
  process.env.WEBHOOK_ACCEPT_TIMEOUT_MS = String(ACCEPT_TIMEOUT_MS);
  const during = await postJson(`${system.apiUrl}/webhooks/demo-crm/orders`, orderPlacedExample, { 'x-delivery-id': 'during-outage' }).finally(() => delete process.env.WEBHOOK_ACCEPT_TIMEOUT_MS);
  expect(during.status).toBe(503);
  expect(Date.now() - askedAt).toBeLessThan(ACCEPT_TIMEOUT_MS + 4_000); // the accept deadline, not a hang
  expect(during.body.message).toMatch(/Temporal is not reachable/);

  server = await startServer();
  const recovered = await (async () => {
    for (let i = 0; i < 50; i++) {
      const res = await getJson(`${system.apiUrl}/health`);
      if (res.status === 200) return res;
      await new Promise((r) => setTimeout(r, 200));
    }
    return getJson(`${system.apiUrl}/health`);
  })();
  expect(recovered.status).toBe(200);

  // The run from before the outage survived on the SQLite file; the refused delivery left nothing.
  expect((await system.client.workflow.getHandle(before.body.workflowId).describe()).status.name).toBe('COMPLETED');
  const refusedId = `orderPlaced/demo-crm-default/${boundToBody('during-outage', Buffer.from(JSON.stringify(orderPlacedExample)))}`; // unsigned: bound to the body
  await expect(system.client.workflow.getHandle(refusedId).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
});

it(`finishes a ${RECORDS}-record sync after Temporal is killed (SIGKILL) under it and restarted on its SQLite file`, async () => {
  const started = await postJson(`${system.apiUrl}/channels/demo-crm-default/sync`, {});
  expect(started.status).toBe(202);
  const [run] = started.body.workflows as Array<{ workflowId: string }>;
  await eventually(() => (system.crm.mailingList.size > RECORDS / 4 ? true : undefined), 120_000, 'the sync to be a quarter done');

  const exited = new Promise((resolve) => server.process.once('exit', resolve));
  server.process.kill('SIGKILL');
  await exited;
  const atKill = system.crm.mailingList.size;
  expect(atKill).toBeLessThan(RECORDS);

  server = await startServer();
  // The client and the worker reconnect by themselves; result() follows the continue-as-new chain.
  const progress = await system.client.workflow.getHandle(run!.workflowId).result();
  // RECORDS, and the customer the first test's order created.
  const contacts = system.crm.contacts.length;
  expect(progress).toMatchObject({ cursor: String(contacts) });
  expect(system.crm.mailingList.size).toBe(contacts);
  expect([...system.crm.mailingListWrites.values()].filter((count) => count !== 1)).toEqual([]);
  if (process.env.SHOW_SYSTEM_OUTPUT) console.log(`Temporal killed at ${atKill} of ${RECORDS} records`);
}, 240_000);
