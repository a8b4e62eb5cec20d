/**
 * Temporal goes away under a running API: /health and webhooks answer 503 and nothing is
 * started; when Temporal is back on the same SQLite file, everything answers again.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkflowNotFoundError } from '@temporalio/client';
import { startDevServer, type DevServer } from '../runtime/dev-server';
import { ensureTemporalCli } from '../runtime/temporal-cli';
import { orderPlacedExample } from '../workflows/order-placed.schema';
import { freePort } from './support/ports';
import { getJson, postJson, startTestSystem, type TestSystem } from './support/system';

let server: DevServer;
let system: TestSystem;
let port: number;
const dbFile = join(mkdtempSync(join(tmpdir(), 'engine-down-')), 'temporal.sqlite');

const startServer = () => startDevServer({ cliPath: ensureTemporalCli(), dbFile, port });

beforeAll(async () => {
  port = await freePort();
  server = await startServer();
  system = await startTestSystem({ address: server.address });
});
afterAll(async () => {
  await system?.stop();
  await server?.stop();
});

it('answers 503 from /health and from webhooks while Temporal is down, and recovers', async () => {
  expect((await getJson(`${system.apiUrl}/health`)).status).toBe(200);
  const before = await postJson(`${system.apiUrl}/webhooks/demo-crm/orders`, orderPlacedExample, { 'x-delivery-id': 'before-outage' });
  expect(before.status).toBe(202);
  await system.client.workflow.getHandle(before.body.workflowId).result();

  await server.stop();

  const health = await getJson(`${system.apiUrl}/health`);
  expect(health.status).toBe(503);
  expect(health.body).toMatchObject({ status: 'unavailable', temporal: { reachable: false, reason: expect.stringMatching(/^Temporal is not reachable/) } });

  const askedAt = Date.now();
  const during = await postJson(`${system.apiUrl}/webhooks/demo-crm/orders`, orderPlacedExample, { 'x-delivery-id': 'during-outage' });
  expect(during.status).toBe(503);
  expect(Date.now() - askedAt).toBeLessThan(7_000); // the accept deadline (5 s), not a hang
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
  await expect(system.client.workflow.getHandle('orderPlaced/demo-crm-default/during-outage').describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
});
