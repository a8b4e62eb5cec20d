/**
 * Malformed requests to every route answer 4xx naming the problem: never a 5xx, never a run.
 */
import { request } from 'node:http';
import { startTestSystem, type TestSystem } from './support/system';

let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem();
});
afterAll(async () => {
  await system?.stop();
});

/**
 * One request on its own connection (node:http, no keep-alive): a malformed request must not be
 * able to poison the next one through a shared client pool.
 */
function send(url: string, method: string, body?: string, contentType?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent: false, headers: contentType ? { 'content-type': contentType } : {}, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${url}: no answer within 10 s`)));
    req.on('error', reject);
    req.end(body);
  });
}

type Case = [method: string, path: string, body?: string, contentType?: string];

const cases: Case[] = [
  ['POST', '/webhooks/demo-crm/orders', '{"orderId":', 'application/json'],
  ['POST', '/webhooks/demo-crm/orders', '[]', 'application/json'],
  ['POST', '/webhooks/demo-crm/orders', '"just a string"', 'application/json'],
  ['POST', '/webhooks/demo-crm/orders', 'orderId=1', 'application/x-www-form-urlencoded'],
  ['POST', '/webhooks/demo-crm/orders', '<order/>', 'application/xml'],
  ['POST', '/webhooks/demo-crm/orders', JSON.stringify({ orderId: 'x'.repeat(2_000_000) }), 'application/json'],
  ['POST', '/webhooks/demo-crm/orders', '{"orderId":"1","customerEmail":"a@b.co","total":-1,"currency":"EURO"}', 'application/json'],
  ['POST', '/webhooks/demo-crm/orders/%00', '{}', 'application/json'],
  ['POST', '/webhooks/demo-crm/ticket-events', '{"ticketId":"has/slash","contactId":"c","type":"opened"}', 'application/json'],
  ['POST', '/webhooks/demo-crm/ticket-events', '{"ticketId":"T","contactId":"c","type":"exploded"}', 'application/json'],
  ['POST', '/webhooks/../../etc/passwd', '{}', 'application/json'],
  ['GET', '/channels/%E0%A4%A'],
  ['POST', '/channels', '{}', 'application/json'],
  ['POST', '/channels', '{"application":"demo-crm","name":"x","settings":"not an object"}', 'application/json'],
  ['POST', '/channels', '{"application":"demo-crm","name":"x","settings":{"baseUrl":"http://x.test"},"credentials":{"apiKey":42}}', 'application/json'],
  ['POST', '/channels', '{"application":"petstore@v999","name":"x"}', 'application/json'],
  ['POST', '/channels', 'null', 'application/json'],
  ['PATCH', '/channels/ch_nope', '{"name":"x"}', 'application/json'],
  ['PATCH', '/channels/demo-crm-default', '{"enabled":"yes"}', 'application/json'],
  ['PATCH', '/channels/demo-crm-default', '{"application":"demo-erp"}', 'application/json'],
  ['GET', '/channels/demo-crm-default/runs?limit=abc'],
  ['GET', '/channels/demo-crm-default/runs?limit=100000'],
  ['POST', '/channels/ch_nope/sync'],
  ['GET', '/channels/ch_nope/oauth/authorize'],
  ['GET', '/channels/demo-crm-default/oauth/authorize'],
  ['GET', '/oauth/callback?code=x'],
  ['GET', '/oauth/callback?state[]=x'],
  ['POST', '/applications/import', '{"document":"not: [valid"}', 'application/json'],
  ['POST', '/applications/import', '{"document":{"openapi":"9.9.9"}}', 'application/json'],
  ['POST', '/applications/import', '{"name":"Bad Name","document":"{}"}', 'application/json'],
  ['POST', '/applications/demo-crm/actions/listContacts/run', '{"channelId":"demo-crm-default","input":{"perPage":1000}}', 'application/json'],
  ['POST', '/applications/demo-crm/actions/listContacts/run', '{"input":{}}', 'application/json'],
  ['POST', '/applications/demo-crm/actions/nothing/run', '{"channelId":"demo-crm-default"}', 'application/json'],
  ['POST', '/applications/demo-erp/actions/listProducts/run', '{"channelId":"demo-crm-default"}', 'application/json'],
  ['DELETE', '/channels/ch_nope'],
  ['GET', '/no/such/route'],
  ['PUT', '/flows'],
];

// Rows become objects: jest hands a short array row's missing arguments a `done` callback instead.
const rows = cases.map(([method, path, body, contentType]) => ({ method, path, body, contentType }));

it.each(rows)('$method $path answers 4xx', async ({ method, path, body, contentType }) => {
  const res = await send(`${system.apiUrl}${path}`, method, body, contentType);
  expect(res.text).not.toBe('');
  expect(res.status).toBeGreaterThanOrEqual(400);
  expect(res.status).toBeLessThan(500);
});

it('started no run for any of them, and is still healthy', async () => {
  const runs: string[] = [];
  for await (const run of system.client.workflow.list({ query: `TaskQueue = "${system.settings.taskQueue}"` })) runs.push(run.workflowId);
  expect(runs).toEqual([]);
  expect((await fetch(`${system.apiUrl}/health`)).status).toBe(200);
});
