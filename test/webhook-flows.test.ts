/** Webhooks through the real API into real flows on a real Temporal, against the demo CRM. */
import { WorkflowNotFoundError } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { orderPlacedExample } from '../workflows/order-placed.schema';
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storeDeps } from '../api/core.module';
import { createApp } from '../api/create-app';
import { openStore } from '../store/open-store';
import { flows as defaultFlows } from '../workflows/flows';
import { authHeaders, DEMO_API_KEY, eventually, getJson, postJson, startTestSystem, TEST_CREDENTIALS_KEYS, testSecurity, type TestSystem } from './support/system';

let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem();
});
afterAll(async () => {
  await system?.stop();
});

describe('POST /webhooks/demo-crm/orders', () => {
  it('answers 202 with the run, and the flow writes the order to the CRM', async () => {
    const res = await postJson(`${system.apiUrl}/webhooks/demo-crm/orders`, { ...orderPlacedExample, orderId: 'ord_e2e_1', customerEmail: 'grace.lovelace.2@example.com' });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({
      workflowId: expect.stringMatching(/^orderPlaced\/demo-crm-default\//),
      runId: expect.any(String),
      channelId: 'demo-crm-default',
      deliveryId: expect.any(String),
      runs: [{ flow: 'orderPlaced', workflowId: res.body.workflowId, runId: res.body.runId }],
    });

    const result = await system.client.workflow.getHandle(res.body.workflowId, res.body.runId).result();
    expect(result).toEqual({ contactId: 'c_2', noteId: expect.any(String) });
    expect(system.crm.notes).toContainEqual(expect.objectContaining({ contactId: 'c_2', text: 'Order ord_e2e_1 placed: 129.50 EUR' }));
  });

  it('carries the request id from the request line to every connector call of the run it started', async () => {
    const requestId = 'req-follow-me.1';
    const res = await fetch(`${system.apiUrl}/webhooks/demo-crm/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': requestId },
      body: JSON.stringify({ ...orderPlacedExample, orderId: 'ord_followed' }),
    });
    expect(res.status).toBe(202);
    expect(res.headers.get('x-request-id')).toBe(requestId);
    const { workflowId, runId } = (await res.json()) as { workflowId: string; runId: string };
    await system.client.workflow.getHandle(workflowId, runId).result();
    const run = { workflowId, runId, flow: 'orderPlaced', channelId: 'demo-crm-default' };

    const requestLine = await eventually(() => system.apiLogLines.map((line) => JSON.parse(line)).find((entry) => entry.msg === 'request' && entry.requestId === requestId), 5_000, 'the request line');
    expect(requestLine).toMatchObject({ ...run, method: 'POST', route: '/webhooks/*path', status: 202 });
    // The run's connector calls (find the customer, add the note), each with the run and the request.
    const calls = system.logLines.map((line) => JSON.parse(line)).filter((entry) => entry.event === 'connector_call' && entry.workflowId === workflowId);
    expect(calls.map((c) => c.connector)).toEqual(expect.arrayContaining(['demo-crm.addContactNote']));
    for (const call of calls) expect(call).toMatchObject({ ...run, requestId });
  });

  it('makes a request id when the incoming one is malformed or missing, and answers with it', async () => {
    const headers: Record<string, string>[] = [{ 'x-request-id': 'not ok/with spaces' }, { 'x-request-id': 'x'.repeat(129) }, {}];
    for (const header of headers) {
      const res = await fetch(`${system.apiUrl}/flows`, { headers: { ...authHeaders(), ...header } });
      expect(res.status).toBe(200);
      const requestId = res.headers.get('x-request-id');
      expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(system.apiLogLines.map((line) => JSON.parse(line)).find((entry) => entry.requestId === requestId)).toMatchObject({ route: '/flows', status: 200 });
    }
  });

  it('creates the contact first when the CRM does not know the customer', async () => {
    const res = await postJson(`${system.apiUrl}/webhooks/demo-crm/orders`, { ...orderPlacedExample, orderId: 'ord_new', customerEmail: 'new.person@example.com', customerName: 'New Person' });
    expect(res.status).toBe(202);
    const { contactId } = await system.client.workflow.getHandle(res.body.workflowId).result();
    expect(system.crm.contacts.find((c) => c.id === contactId)).toMatchObject({ email: 'new.person@example.com', firstName: 'New', lastName: 'Person' });
  });

  it('sets the flow search attributes on the run', async () => {
    const res = await postJson(`${system.apiUrl}/webhooks/demo-crm/orders`, orderPlacedExample, { 'x-delivery-id': 'attrs-1' });
    const description = await system.client.workflow.getHandle(res.body.workflowId).describe();
    expect(description.searchAttributes).toMatchObject({ FlowName: ['orderPlaced'], ChannelId: ['demo-crm-default'], Application: ['demo-crm'], Trigger: ['webhook'] });
    // An unsigned flow's header id is bound to the body's hash (`<id>-<16 hex>`), so nobody can post first under it.
    expect(res.body.workflowId).toMatch(/^orderPlaced\/demo-crm-default\/attrs-1-[0-9a-f]{16}$/);
    // What the Web UI shows as the run's summary and details (user metadata).
    expect(await description.staticSummary()).toBe(`orderPlaced: webhook delivery ${res.body.deliveryId}`);
    expect(await description.staticDetails()).toMatch(
      /^\*\*orderPlaced\*\*: Puts a shop order on the customer's CRM timeline\n\n- Application: `demo-crm`, channel `demo-crm-default`\n- Trigger: webhook \(POST \/webhooks\/demo-crm\/orders, delivery attrs-1-[0-9a-f]{16}\)$/,
    );
  });

  it('starts no second run for a redelivered webhook (same X-Delivery-Id)', async () => {
    const headers = { 'x-delivery-id': 'dup-delivery-1' };
    const first = await postJson(`${system.apiUrl}/webhooks/demo-crm/orders`, { ...orderPlacedExample, orderId: 'ord_dup' }, headers);
    await system.client.workflow.getHandle(first.body.workflowId).result();
    const second = await postJson(`${system.apiUrl}/webhooks/demo-crm/orders`, { ...orderPlacedExample, orderId: 'ord_dup' }, headers);
    expect(second.status).toBe(202);
    expect(second.body).toMatchObject({ workflowId: first.body.workflowId, runId: first.body.runId, duplicate: true, deliveryId: expect.stringMatching(/^dup-delivery-1-[0-9a-f]{16}$/) });
    expect(system.crm.notes.filter((n) => n.text.startsWith('Order ord_dup '))).toHaveLength(1);
  });

  it('rejects a body that breaks the schema with 400 naming the field, and starts nothing', async () => {
    const res = await postJson(`${system.apiUrl}/webhooks/demo-crm/orders`, { ...orderPlacedExample, customerEmail: 'not-an-email', total: 'ten' }, { 'x-delivery-id': 'bad-body-1' });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/customerEmail/);
    expect(res.body.issues.map((i: { field: string }) => i.field).sort()).toEqual(['customerEmail', 'total']);
    await expect(system.client.workflow.getHandle('orderPlaced/demo-crm-default/bad-body-1').describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
  });

  it('rejects broken JSON with 400, not 500', async () => {
    const res = await fetch(`${system.apiUrl}/webhooks/demo-crm/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"orderId": ' });
    expect(res.status).toBe(400);
  });

  it('rejects a malformed delivery id with 400', async () => {
    const res = await postJson(`${system.apiUrl}/webhooks/demo-crm/orders`, orderPlacedExample, { 'x-delivery-id': 'has spaces/and slashes' });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/x-delivery-id/);
  });

  it('answers 404 for a path no flow listens on, and for unknown routes', async () => {
    expect((await postJson(`${system.apiUrl}/webhooks/nobody/here`, {})).status).toBe(404);
    expect((await getJson(`${system.apiUrl}/no-such-route`)).status).toBe(404);
  });
});

function metricValue(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : Number.NaN;
}

describe('runs are safe and deterministic', () => {
  it('keeps credentials out of workflow history, and the history replays without non-determinism', async () => {
    const res = await postJson(`${system.apiUrl}/webhooks/demo-crm/orders`, { ...orderPlacedExample, orderId: 'ord_history' });
    const handle = system.client.workflow.getHandle(res.body.workflowId);
    await handle.result();
    const history = await handle.fetchHistory();
    expect(JSON.stringify(history)).not.toContain(DEMO_API_KEY);
    expect(JSON.stringify(history)).toContain('demo-crm-default'); // the reference travels instead
    await expect(Worker.runReplayHistory({ workflowsPath: require.resolve('../workflows') }, history, res.body.workflowId)).resolves.toBeUndefined();
  });
});

describe('API basics', () => {
  it('GET /health answers 200 when Temporal answers, with the store and the pollers of each task queue', async () => {
    const { status, body } = await getJson(`${system.apiUrl}/health`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'ok', temporal: { reachable: true, namespace: 'default' }, store: { reachable: true } });
    // The flows' queue first, then one per rate-limited application (these two and any added later).
    expect(body.worker.taskQueues[0]).toEqual({ name: system.settings.taskQueue, workflowPollers: expect.any(Number), activityPollers: expect.any(Number) });
    expect(body.worker.taskQueues).toEqual(
      expect.arrayContaining([
        { name: `${system.settings.taskQueue}.demoErp`, workflowPollers: 0, activityPollers: expect.any(Number) },
        { name: `${system.settings.taskQueue}.demoHelpdesk`, workflowPollers: 0, activityPollers: expect.any(Number) },
      ]),
    );
    expect(body.worker.taskQueues[0].workflowPollers).toBeGreaterThan(0);
    expect(body.worker.taskQueues[0].activityPollers).toBeGreaterThan(0);
  });

  it('GET /health says degraded (still 200) when no worker polls, and 503 when the store is gone', async () => {
    const lonely = await createApp(
      {
        client: system.client,
        settings: { ...system.settings, taskQueue: 'nobody-polls-this' },
        flows: defaultFlows,
        ...storeDeps(system.store),
        security: testSecurity(),
        publicUrl: () => '',
      },
      { closeClientOnShutdown: false, logger: false },
    );
    await lonely.listen(0, '127.0.0.1');
    const url = `http://127.0.0.1:${(lonely.getHttpServer().address() as AddressInfo).port}/health`;
    try {
      expect(await getJson(url)).toMatchObject({
        status: 200,
        body: { status: 'degraded', worker: { taskQueues: expect.arrayContaining([{ name: 'nobody-polls-this', workflowPollers: 0, activityPollers: 0 }]) } },
      });
    } finally {
      await lonely.close();
    }
    const broken = await openStore(mkdtempSync(join(tmpdir(), 'engine-health-')), () => undefined, { CREDENTIALS_KEYS: TEST_CREDENTIALS_KEYS });
    const storeless = await createApp(
      {
        client: system.client,
        settings: system.settings,
        flows: defaultFlows,
        ...storeDeps(broken),
        security: testSecurity(),
        publicUrl: () => '',
      },
      { closeClientOnShutdown: false, logger: false },
    );
    await storeless.listen(0, '127.0.0.1');
    await broken.close();
    try {
      const res = await getJson(`http://127.0.0.1:${(storeless.getHttpServer().address() as AddressInfo).port}/health`);
      expect(res).toMatchObject({ status: 503, body: { status: 'unavailable', store: { reachable: false, reason: expect.any(String) } } });
    } finally {
      await storeless.close();
    }
  });

  it('serves its own metrics at GET /metrics in Prometheus text format', async () => {
    await getJson(`${system.apiUrl}/flows`);
    const res = await fetch(`${system.apiUrl}/metrics`, { headers: authHeaders() });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(metricValue(text, 'http_requests_total{method="GET",route="/flows",status="200"}')).toBeGreaterThanOrEqual(1);
    expect(text).toContain('process_cpu_user_seconds_total');
  });

  it('serves Swagger UI at /docs and documents every route at /docs-json', async () => {
    expect((await fetch(`${system.apiUrl}/docs`)).status).toBe(200);
    const { status, body } = await getJson(`${system.apiUrl}/docs-json`);
    expect(status).toBe(200);
    expect(Object.keys(body.paths).sort()).toEqual([
      '/api-keys',
      '/api-keys/{id}',
      '/applications',
      '/applications/import',
      '/applications/{application}/actions/{action}/run',
      '/applications/{name}',
      '/channels',
      '/channels/{id}',
      '/channels/{id}/backfill',
      '/channels/{id}/cursors',
      '/channels/{id}/oauth/authorize',
      '/channels/{id}/oauth/connect',
      '/channels/{id}/runs',
      '/channels/{id}/schedules',
      '/channels/{id}/sync',
      '/codec/decode',
      '/codec/encode',
      '/console',
      '/console/{path}',
      '/flows',
      '/health',
      '/me',
      '/metrics',
      '/oauth/callback',
      '/oauth/connect/{token}',
      '/runs',
      '/runs/{workflowId}/cancel',
      '/runs/{workflowId}/progress',
      '/runs/{workflowId}/retry',
      '/schedules',
      '/webhooks/{path}',
    ]);
  });
});

describe('a connector that fails inside a flow', () => {
  it('retries 503 with Retry-After and the flow completes', async () => {
    system.crm.failNext(/\/notes$/, 2, 503, { 'retry-after': '2' });
    const before = system.crm.requests.length;
    const res = await postJson(`${system.apiUrl}/webhooks/demo-crm/orders`, { ...orderPlacedExample, orderId: 'ord_retry' });
    await system.client.workflow.getHandle(res.body.workflowId).result();
    const noteCalls = system.crm.requests.slice(before).filter((r) => r.path.endsWith('/notes'));
    expect(noteCalls.map((r) => r.status)).toEqual([503, 503, 201]);
    // Retry-After: 2 became the next retry delay; the retry policy alone would retry after 1 s.
    expect(noteCalls[1]!.at - noteCalls[0]!.at).toBeGreaterThanOrEqual(1_900);
    expect(noteCalls[2]!.at - noteCalls[1]!.at).toBeGreaterThanOrEqual(1_900);

    // Each call is one JSON log line with method, URL, status, duration and attempt.
    const calls = system.logLines
      .map((line) => JSON.parse(line))
      .filter((entry) => entry.event === 'connector_call' && entry.workflowId === res.body.workflowId && entry.connector === 'demo-crm.addContactNote');
    expect(calls.map((c) => [c.status, c.attempt, c.outcome])).toEqual([
      [503, 1, 'rate-limited'],
      [503, 2, 'rate-limited'],
      [201, 3, 'ok'],
    ]);
    expect(calls[0]).toMatchObject({
      method: 'POST',
      url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/api\/contacts\/c_\w+\/notes$/),
      durationMs: expect.any(Number),
      channelId: 'demo-crm-default',
    });
    expect(system.logLines.join('')).not.toContain(DEMO_API_KEY);

    // And counts into the worker's metrics, in Prometheus text format.
    const metrics = await (await fetch(system.metricsUrl)).text();
    expect(metricValue(metrics, 'connector_requests_total{connector="demo-crm.addContactNote",status="503"}')).toBeGreaterThanOrEqual(2);
    expect(metricValue(metrics, 'connector_errors_total{connector="demo-crm.addContactNote",class="rate-limited"}')).toBeGreaterThanOrEqual(2);
    expect(metricValue(metrics, 'connector_request_duration_seconds_count{connector="demo-crm.addContactNote"}')).toBeGreaterThanOrEqual(3);
  });

  it('applies a retried write once: the idempotency key is the same for every retry of one activity', async () => {
    // The CRM stores the note, then the answer is lost (503): Temporal retries the activity.
    system.crm.failNext(/\/notes$/, 1, 503, {}, true);
    const before = system.crm.requests.length;
    const res = await postJson(`${system.apiUrl}/webhooks/demo-crm/orders`, { ...orderPlacedExample, orderId: 'ord_idempotent' });
    await system.client.workflow.getHandle(res.body.workflowId).result();
    expect(
      system.crm.requests
        .slice(before)
        .filter((r) => r.path.endsWith('/notes'))
        .map((r) => r.status),
    ).toEqual([503, 201]);
    expect(system.crm.notes.filter((n) => n.text.startsWith('Order ord_idempotent '))).toHaveLength(1);
  });

  it('fails the run at once on a non-retryable 422, naming the connector and status', async () => {
    system.crm.failNext(/\/notes$/, 1, 422);
    const before = system.crm.requests.length;
    const res = await postJson(`${system.apiUrl}/webhooks/demo-crm/orders`, { ...orderPlacedExample, orderId: 'ord_422' });
    const handle = system.client.workflow.getHandle(res.body.workflowId);
    // The connector's ApplicationFailure, at the end of the cause chain (activity or local activity).
    const failure = await handle.result().then(
      () => undefined,
      (err: Error) => {
        let cause = err as Error & { cause?: unknown; type?: string; nonRetryable?: boolean };
        while (cause.cause) cause = cause.cause as typeof cause;
        return cause;
      },
    );
    expect(failure).toMatchObject({ type: 'HttpStatus422', nonRetryable: true });
    expect(failure?.message).toMatch(/^demo-crm\.addContactNote: HTTP 422/);
    // One attempt: the CRM saw the note once.
    const noteCalls = system.crm.requests.slice(before).filter((r) => r.path.endsWith('/notes'));
    expect(noteCalls.map((r) => r.status)).toEqual([422]);
  });
});

describe('entity webhooks (signalWithStart)', () => {
  it('feeds every event of one ticket into one workflow, which records the ticket when it closes', async () => {
    const url = `${system.apiUrl}/webhooks/demo-crm/ticket-events`;
    const events = ['opened', 'commented', 'closed'].map((type) => ({ ticketId: 'T-e2e-1', contactId: 'c_3', type, text: type }));
    const answers = [];
    for (const event of events) answers.push(await postJson(url, event));
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202]);
    expect(new Set(answers.map((a) => a.body.workflowId))).toEqual(new Set(['ticketLifecycle/demo-crm-default/T-e2e-1']));
    expect(new Set(answers.map((a) => a.body.runId)).size).toBe(1);

    const state = await system.client.workflow.getHandle('ticketLifecycle/demo-crm-default/T-e2e-1').result();
    expect(state.events.map((e: { type: string }) => e.type)).toEqual(['opened', 'commented', 'closed']);
    expect(system.crm.notes).toContainEqual(expect.objectContaining({ contactId: 'c_3', text: 'Ticket T-e2e-1 closed after 3 events: opened → commented → closed' }));
  });
});
