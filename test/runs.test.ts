/** GET /runs, POST /runs/:id/retry and /cancel against a real Temporal: nothing copied out of it. */
import { orderPlacedExample } from '../workflows/order-placed.schema';
import { eventually, getJson, postJson, startTestSystem, type TestSystem } from './support/system';

let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem();
});
afterAll(async () => {
  await system?.stop();
});

const runPath = (workflowId: string, action: string) => `${system.apiUrl}/runs/${encodeURIComponent(workflowId)}/${action}`;

async function failedOrder(deliveryId: string): Promise<string> {
  system.crm.failNext(/\/notes$/, 1, 422);
  const res = await postJson(`${system.apiUrl}/webhooks/demo-crm/orders`, { ...orderPlacedExample, orderId: deliveryId }, { 'x-delivery-id': deliveryId });
  await system.client.workflow
    .getHandle(res.body.workflowId)
    .result()
    .catch(() => undefined);
  return res.body.workflowId;
}

it('lists failed runs by flow and channel with their failure message', async () => {
  const workflowId = await failedOrder('runs-failed-1');
  const runs = await eventually(
    async () => {
      const { body } = await getJson(`${system.apiUrl}/runs?status=failed&flow=orderPlaced&channel=demo-crm-default`);
      return body.some((run: { workflowId: string }) => run.workflowId === workflowId) ? body : undefined;
    },
    20_000,
    'the failed run in visibility',
  );
  const run = runs.find((r: { workflowId: string }) => r.workflowId === workflowId);
  expect(run).toMatchObject({
    flow: 'orderPlaced',
    channelId: 'demo-crm-default',
    application: 'demo-crm',
    trigger: 'webhook',
    status: 'FAILED',
    failure: { message: expect.stringMatching(/demo-crm\.addContactNote: HTTP 422/), type: 'HttpStatus422' },
  });
  expect(runs.every((r: { status: string; flow: string }) => r.status === 'FAILED' && r.flow === 'orderPlaced')).toBe(true);
  const { body: completed } = await getJson(`${system.apiUrl}/runs?status=completed&flow=orderPlaced`);
  expect(completed.some((r: { workflowId: string }) => r.workflowId === workflowId)).toBe(false);
});

it('retries a failed run with the same input: same workflow id, a new run that completes', async () => {
  const workflowId = await failedOrder('runs-retry-1');
  const notesBefore = system.crm.notes.filter((note) => note.text.startsWith('Order runs-retry-1 ')).length;
  const res = await postJson(runPath(workflowId, 'retry'), {});
  expect(res.status).toBe(202);
  expect(res.body).toEqual({ workflowId, runId: expect.any(String) });
  const result = await system.client.workflow.getHandle(workflowId, res.body.runId).result();
  expect(result).toMatchObject({ noteId: expect.any(String) });
  expect(system.crm.notes.filter((note) => note.text.startsWith('Order runs-retry-1 '))).toHaveLength(notesBefore + 1);
  // A completed run is not retried.
  expect((await postJson(runPath(workflowId, 'retry'), {})).status).toBe(409);
});

it('cancels a run stuck on a broken connector', async () => {
  system.crm.failNext(/\/notes$/, 1_000, 503);
  try {
    const res = await postJson(`${system.apiUrl}/webhooks/demo-crm/orders`, { ...orderPlacedExample, orderId: 'runs-cancel-1' }, { 'x-delivery-id': 'runs-cancel-1' });
    await eventually(() => (system.crm.requests.some((r) => r.path.endsWith('/notes') && r.status === 503) ? true : undefined), 20_000, 'the connector failing');
    expect((await postJson(runPath(res.body.workflowId, 'retry'), {})).status).toBe(409);
    const cancelled = await postJson(runPath(res.body.workflowId, 'cancel'), {});
    expect(cancelled.status).toBe(202);
    await eventually(async () => ((await system.client.workflow.getHandle(res.body.workflowId).describe()).status.name === 'CANCELLED' ? true : undefined), 20_000, 'the run cancelled');
    expect((await postJson(runPath(res.body.workflowId, 'cancel'), {})).status).toBe(409);
  } finally {
    system.crm.clearFailures();
  }
});

it('answers 400 naming the field for a bad filter, 404 for an unknown run', async () => {
  const bad = await getJson(`${system.apiUrl}/runs?status=exploded`);
  expect(bad.status).toBe(400);
  expect(bad.body.message).toMatch(/^status:/);
  const injection = await getJson(`${system.apiUrl}/runs?flow=${encodeURIComponent('x" OR FlowName != "')}`);
  expect(injection.status).toBe(400);
  expect(injection.body.message).toMatch(/^flow:/);
  expect((await postJson(runPath('no/such/run', 'retry'), {})).status).toBe(404);
  expect((await postJson(runPath('no/such/run', 'cancel'), {})).status).toBe(404);
});

it('logs one JSON line per API request, naming the run a webhook started and no secret', async () => {
  const res = await postJson(`${system.apiUrl}/webhooks/demo-crm/orders`, { ...orderPlacedExample, orderId: 'runs-log-1' }, { 'x-delivery-id': 'runs-log-1' });
  const lines = system.apiLogLines.map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(lines).toContainEqual(
    expect.objectContaining({
      service: 'api',
      method: 'POST',
      route: '/webhooks/*path',
      status: 202,
      workflowId: res.body.workflowId,
      runId: res.body.runId,
      flow: 'orderPlaced',
      channelId: 'demo-crm-default',
      durationMs: expect.any(Number),
    }),
  );
  expect(system.apiLogLines.join('\n')).not.toContain('test-api-key-not-a-real-secret');
});
