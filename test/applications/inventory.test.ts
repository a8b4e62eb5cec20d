/**
 * The application committed under applications/inventory/ (an OpenAPI document and its
 * application file) through the real system, as a teammate's clone gets it: imported when the
 * system starts, a channel created through the API within its pinned hosts, an action run
 * through the API and Temporal against a loopback inventory (every request and answer checked
 * against the committed document), items paged by cursor in a workflow, and `stock.changed`
 * deliveries signed with the Standard Webhooks reference library into inventoryReorder, a flow
 * whose application is the imported one: its channel's webhook URL, signature, delivery id,
 * pages and rate-limited queue.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { applicationName } from '../../connectors/openapi/spec';
import { eventually, getJson, postJson, startTestSystem, type TestSystem } from '../support/system';
import { startTestWorker, type TestWorker } from '../support/test-worker';
import { INVENTORY_DOCUMENT, startFakeInventory, type FakeInventory } from './fake-inventory';
import { inventoryV1 } from '../../applications/inventory/openapi.types';
import { ChannelSchedules } from '../../channels/channel-schedules';
import { defineFlows, flow, polling } from '../../workflows/framework/flow';
import { countInventory, inventorySnapshot } from './workflows';

const versions = JSON.parse(readFileSync(require.resolve('../../applications/inventory/versions.json'), 'utf8')) as { versions: Array<{ version: number }> };
/** The version the repository gives the committed document: what every clone imports. */
const INVENTORY = applicationName('inventory', Math.max(...versions.versions.map((v) => v.version)));
const SECRET = `whsec_${randomBytes(24).toString('base64')}`;

let system: TestSystem;
let fake: FakeInventory;
let worker: TestWorker | undefined;
let channelId: string;
const taskQueue = `inventory-test-${randomUUID()}`;

beforeAll(async () => {
  [system, fake] = await Promise.all([startTestSystem(), startFakeInventory()]);
  worker = await startTestWorker(system, { taskQueue, workflowsPath: require.resolve('./workflows') });
  const created = await postJson(`${system.apiUrl}/channels`, {
    application: INVENTORY,
    name: 'Warehouse',
    settings: { baseUrl: fake.url },
    credentials: { apiKey: fake.apiKey, webhookSecret: SECRET },
  });
  expect(created.status).toBe(201);
  channelId = created.body.id;
});
afterAll(async () => {
  await worker?.stop();
  await Promise.all([system?.stop(), fake?.close()]);
});
afterEach(() => {
  expect(fake.violations).toEqual([]);
  fake.violations.length = 0;
});

describe('the committed inventory, imported when the system starts', () => {
  it('is an application with the actions of its document, and the example flow names it', async () => {
    expect(INVENTORY).toBe('inventory@v1');
    const app = (await getJson(`${system.apiUrl}/applications/${INVENTORY}`)).body;
    expect(app.actions.map((a: { name: string }) => a.name)).toEqual(['listItems', 'getItem', 'adjustStock', 'listMovements']);
    expect(app).toMatchObject({ name: INVENTORY, auth: { kind: 'api-key' } });
    const flow = ((await getJson(`${system.apiUrl}/flows`)).body as Array<{ name: string }>).find((f) => f.name === 'inventoryReorder');
    expect(flow).toMatchObject({
      application: INVENTORY,
      trigger: {
        type: 'webhook',
        path: 'inventory/stock-changed',
        signature: { scheme: 'standard-webhooks', header: 'webhook-signature' },
        deliveryId: { source: 'signed-header', header: 'webhook-id' },
      },
    });
    const channel = (await getJson(`${system.apiUrl}/channels/${channelId}`)).body;
    expect(channel.credentials).toEqual({ apiKey: '********', webhookSecret: '********' });
    expect(channel.webhooks).toEqual([{ flow: 'inventoryReorder', url: `/webhooks/inventory/stock-changed/${channelId}` }]);
  });

  it('is not imported twice under its name through the API (409), nor changed there', async () => {
    const res = await postJson(`${system.apiUrl}/applications/import`, { name: 'inventory', document: readFileSync(INVENTORY_DOCUMENT, 'utf8') });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ application: 'inventory', message: expect.stringMatching(/committed under applications\/inventory\//) });
  });

  it('keeps credentials on its pinned hosts: a base URL elsewhere, or over plain http, is refused naming the setting', async () => {
    for (const baseUrl of ['https://evil.example/v1', 'http://api.inventory.example/v1']) {
      const res = await postJson(`${system.apiUrl}/channels`, { application: INVENTORY, name: 'Elsewhere', settings: { baseUrl }, credentials: { apiKey: 'k' } });
      expect(res.status).toBe(400);
      expect(res.body.issues).toEqual([{ field: 'settings.baseUrl', message: expect.stringMatching(/^(host evil\.example is not one of inventory@v1's hosts|http: is not https)/) }]);
    }
  });

  it('runs an action through the API and Temporal against the service', async () => {
    const res = await postJson(`${system.apiUrl}/applications/${INVENTORY}/actions/getItem/run`, { channelId, input: { sku: 'SKU-003' } });
    expect(res.status).toBe(200);
    expect(res.body.output).toEqual(fake.items.get('SKU-003'));
    const sent = fake.requests.filter((r) => r.operationId === 'getItem').at(-1)!;
    expect(sent).toMatchObject({ method: 'GET', url: '/v1/items/SKU-003', headers: { 'x-api-key': fake.apiKey } });
    const missing = await postJson(`${system.apiUrl}/applications/${INVENTORY}/actions/getItem/run`, { channelId, input: { sku: 'NOPE' } });
    expect(missing.status).toBe(502);
    expect(missing.body.message).toMatch(/HTTP 404/);
    const invalid = await postJson(`${system.apiUrl}/applications/${INVENTORY}/actions/getItem/run`, { channelId, input: { sku: 'lower_case' } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.issues).toEqual([expect.objectContaining({ field: 'input.sku' })]);
  });

  it('pages its items by the cursor its document implies, one activity a page', async () => {
    const result = await system.client.workflow.execute(countInventory, { taskQueue, workflowId: `count-inventory-${randomUUID()}`, args: [channelId, 3] });
    const all = [...fake.items.values()];
    expect(result).toMatchObject({ items: all.length, units: all.reduce((sum, item) => sum + item.quantity, 0), pages: 3 });
    expect(result.cursors.at(-1)).toBeNull();
    const cursors = fake.requests.filter((r) => r.operationId === 'listItems').map((r) => new URL(r.url, fake.url).searchParams.get('cursor'));
    expect(cursors.slice(-3)).toEqual([null, result.cursors[0], result.cursors[1]]);
  });
});

describe('a polling flow of the imported application', () => {
  it('gets a schedule per channel, and its runs page through the items', async () => {
    const polled = defineFlows([flow(inventorySnapshot, { application: inventoryV1, description: 'test: a stock count', trigger: polling({ every: '1h' }) })]);
    const channel = (await system.channels.get(channelId))!;
    const [scheduled] = await new ChannelSchedules(system.client, polled, taskQueue).sync(channel);
    expect(scheduled).toMatchObject({ scheduleId: `inventorySnapshot/${channelId}`, change: 'created' });
    const handle = system.client.schedule.getHandle(scheduled!.scheduleId);
    try {
      const started = await eventually(async () => (await handle.describe()).info.recentActions[0]?.action.workflow, 30_000, 'the first scheduled run');
      const all = [...fake.items.values()];
      expect(await system.client.workflow.getHandle(started.workflowId).result()).toEqual({ items: all.length, units: all.reduce((sum, item) => sum + item.quantity, 0) });
      const described = await system.client.workflow.getHandle(started.workflowId).describe();
      expect(described.searchAttributes).toMatchObject({ Application: [INVENTORY], ChannelId: [channelId], FlowName: ['inventorySnapshot'] });
    } finally {
      await handle.delete();
    }
  });
});

describe('signed stock.changed deliveries into inventoryReorder', () => {
  const url = () => `${system.apiUrl}/webhooks/inventory/stock-changed/${channelId}`;
  const result = (workflowId: string) => system.client.workflow.getHandle(workflowId).result();

  it('start the flow of the imported application, which pages the movements and books one reorder', async () => {
    const sale = fake.book('SKU-002', -20, 'sale', new Date(Date.now() - 60_000));
    // 25 movements after the sale: the flow reads them in two pages of 20, by Link headers.
    for (let i = 0; i < 25; i++) fake.book('SKU-002', i % 2 ? 1 : -1, 'stocktake', new Date(Date.now() - 50_000 + i * 100));
    const reorderPoint = fake.items.get('SKU-002')!;
    expect(reorderPoint.quantity).toBeLessThanOrEqual(reorderPoint.reorderPoint);

    const res = await fake.deliver(url(), SECRET, sale.event, { id: 'msg_first_delivery' });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ channelId, deliveryId: 'msg_first_delivery', runs: [{ flow: 'inventoryReorder' }] });
    expect(res.body.workflowId).toBe(`inventoryReorder/${channelId}/msg_first_delivery`);
    const outcome = await result(res.body.workflowId);
    expect(outcome).toEqual({ sku: 'SKU-002', quantity: reorderPoint.quantity + 24, reordered: true, movementsSeen: 26, movementId: expect.any(String) });

    const pages = fake.requests.filter((r) => r.operationId === 'listMovements').map((r) => new URL(r.url, fake.url).searchParams.get('page'));
    expect(pages.slice(-2)).toEqual([null, '2']);
    const reorder = fake.requests.filter((r) => r.operationId === 'adjustStock').at(-1)!;
    expect(reorder.body).toEqual({ delta: 24, reason: 'reorder' });
    expect(reorder.headers['idempotency-key']).toMatch(/^[0-9a-f]{40}$/);

    // The run carries the imported application in its search attributes, as any flow's does.
    const described = await system.client.workflow.getHandle(res.body.workflowId).describe();
    expect(described.searchAttributes.Application).toEqual([INVENTORY]);

    // The same delivery again (a retry of the sender): a duplicate, nothing new started.
    const again = await fake.deliver(url(), SECRET, sale.event, { id: 'msg_first_delivery' });
    expect(again).toMatchObject({ status: 202, body: { duplicate: true, workflowId: res.body.workflowId } });
  });

  it('book no second reorder for a dip another delivery already reordered', async () => {
    const sale = fake.book('SKU-004', -20, 'sale', new Date(Date.now() - 60_000));
    const first = await fake.deliver(url(), SECRET, sale.event);
    expect((await result(first.body.workflowId)).reordered).toBe(true);
    // Sold down to the reorder point again; the first sale's event arrives late, once more.
    fake.book('SKU-004', -(fake.items.get('SKU-004')!.quantity - 4), 'sale');
    const late = await fake.deliver(url(), SECRET, sale.event);
    expect(late.status).toBe(202);
    expect(await result(late.body.workflowId)).toMatchObject({ reordered: false, skipped: 'already-reordered' });
    expect(fake.movements.filter((m) => m.sku === 'SKU-004' && m.reason === 'reorder')).toHaveLength(1);
  });

  it('refuse a changed body, a wrong secret or a stale timestamp with 401, starting nothing', async () => {
    const { event } = fake.book('SKU-005', -1, 'sale');
    const before = fake.requests.length;
    const cases: Array<[Promise<{ status: number; body: any }>, RegExp]> = [
      [fake.deliver(url(), SECRET, event, { tamper: true }), /header webhook-signature does not match the body/],
      [fake.deliver(url(), `whsec_${randomBytes(24).toString('base64')}`, event), /header webhook-signature does not match the body/],
      [fake.deliver(url(), SECRET, event, { timestamp: new Date(Date.now() - 3_600_000) }), /header webhook-timestamp is outside the 300 s tolerance/],
    ];
    for (const [answer, reason] of cases) {
      const res = await answer;
      expect(res.status).toBe(401);
      expect(res.body.message).toMatch(reason);
    }
    const unsigned = await fetch(url(), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) });
    expect(unsigned.status).toBe(401);
    expect(fake.requests.length).toBe(before);
  });

  it("answer 404 for a channel of another application, as for any application's", async () => {
    const crm = await fake.deliver(`${system.apiUrl}/webhooks/inventory/stock-changed/demo-crm-default`, SECRET, fake.book('SKU-006', -1, 'sale').event);
    expect(crm).toMatchObject({ status: 404, body: { message: `no channel "demo-crm-default" of application ${INVENTORY}` } });
  });
});
