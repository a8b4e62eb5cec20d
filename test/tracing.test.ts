/**
 * OpenTelemetry: one trace from the webhook request through the workflow it starts to each
 * connector call, collected with the SDK's in-memory exporter (the same spans an OTLP endpoint
 * would receive).
 */
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { orderPlacedExample } from '../workflows/order-placed.schema';
import { eventually, postJson, startTestSystem, type TestSystem } from './support/system';

const exporter = new InMemorySpanExporter();
let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem({ spanProcessor: new SimpleSpanProcessor(exporter) });
});
afterAll(async () => {
  await system?.stop();
});

it('traces a webhook through its workflow to every connector call, in one trace', async () => {
  const res = await postJson(
    `${system.apiUrl}/webhooks/demo-crm/orders`,
    { ...orderPlacedExample, orderId: 'ord_traced', customerEmail: 'grace.lovelace.2@example.com' },
    { 'x-delivery-id': 'traced-1' },
  );
  expect(res.status).toBe(202);
  await system.client.workflow.getHandle(res.body.workflowId).result();

  const root = await eventually(
    () => exporter.getFinishedSpans().find((span) => span.name === 'webhook demo-crm/orders' && span.attributes['temporal.workflow_id'] === res.body.workflowId),
    10_000,
    'the webhook span',
  );
  const traceId = root.spanContext().traceId;
  const names = await eventually(
    () => {
      const inTrace = exporter
        .getFinishedSpans()
        .filter((span) => span.spanContext().traceId === traceId)
        .map((span) => span.name);
      return inTrace.filter((name) => name.startsWith('RunActivity')).length >= 2 ? inTrace : undefined;
    },
    15_000,
    'the activity spans in the same trace',
  );
  expect(names).toEqual(expect.arrayContaining(['webhook demo-crm/orders', 'StartWorkflow:orderPlaced', 'RunWorkflow:orderPlaced', 'StartActivity:runConnector', 'RunActivity:runConnector']));
});

it("follows a webhook without an x-request-id by the one the API made: the request line and the run's connector calls", async () => {
  const res = await fetch(`${system.apiUrl}/webhooks/demo-crm/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-delivery-id': 'traced-2' },
    body: JSON.stringify({ ...orderPlacedExample, orderId: 'ord_traced_2' }),
  });
  expect(res.status).toBe(202);
  const requestId = res.headers.get('x-request-id');
  expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
  const { workflowId, runId } = (await res.json()) as { workflowId: string; runId: string };
  await system.client.workflow.getHandle(workflowId).result();
  const run = { workflowId, runId, flow: 'orderPlaced', channelId: 'demo-crm-default', requestId };
  expect(system.apiLogLines.map((line) => JSON.parse(line)).find((entry) => entry.requestId === requestId)).toMatchObject({ ...run, msg: 'request', status: 202 });
  const calls = system.logLines.map((line) => JSON.parse(line)).filter((entry) => entry.event === 'connector_call' && entry.requestId === requestId);
  expect(calls.length).toBeGreaterThanOrEqual(2); // find the customer, add the note
  for (const call of calls) expect(call).toMatchObject(run);
});
