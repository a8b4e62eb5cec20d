/**
 * Webhook fuzz run: thousands of malformed deliveries (broken JSON, wrong types, huge bodies, odd
 * encodings, bad and replayed signatures, unknown paths and channels, unusual methods) against the
 * real API. Every one must be refused with a 4xx, none may start a run, and afterwards the API
 * still takes a valid delivery and reports healthy.
 *
 * Deterministic: request #i is generated from (seed, i) alone, so a failure names its seed and
 * index and reproduces with RELIABILITY_FUZZ_SEED. RELIABILITY_FUZZ_REQUESTS sets the count
 * (default 2000). SHOW_SYSTEM_OUTPUT=1 prints the status histogram per mutation family.
 *
 * Every generated request is checked by a deliberately pessimistic local model of the API before it
 * is sent (`couldStartRun`, in test/support/webhook-fuzz/validity.ts): anything that might be a valid delivery (a flow path and an enabled
 * channel, however the path decodes; an accepted content type; a matching signature; a body that
 * passes every listening flow's schema, however it decodes) is regenerated. The one rule of the
 * API it trusts is the documented body limit: a valid body over 1mb is sent, and must get 413.
 * So any 2xx or any run is the API's fault, not the generator's. Proved once by hand: making
 * request #5 a valid order failed both the 4xx test (a 202) and the no-run test (its workflow id).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { ENGINE_ORIGIN } from '../../connectors/framework/change-origin';
import { integrationOf } from '../../connectors/catalog';
import { flows } from '../../workflows/flows';
import type { FlowDefinition, WebhookTrigger } from '../../workflows/framework/flow';
import { orderPlacedExample } from '../../workflows/order-placed.schema';
import { eventually, startTestSystem, type TestSystem } from '../support/system';
import { MAILER_SECRET, sign } from '../support/webhook-fuzz/api-rules';
import { generate } from '../support/webhook-fuzz/generators';
import { inPool, send, type Answer } from '../support/webhook-fuzz/send';
import type { Context, Family, FuzzRequest, Target } from '../support/webhook-fuzz/types';

const SEED = Number(process.env.RELIABILITY_FUZZ_SEED ?? 0x5eed_2026) >>> 0;
const COUNT = Number(process.env.RELIABILITY_FUZZ_REQUESTS ?? 2000);
const CONCURRENCY = 16;
const SHOW = Boolean(process.env.SHOW_SYSTEM_OUTPUT);

function webhookFlowsAt(path: string): FlowDefinition<WebhookTrigger>[] {
  const found = flows.webhooksAt(path);
  if (found.length === 0) throw new Error(`no flow listens on ${path}: the fuzz targets are out of date`);
  return found;
}

/** Drafts the pessimistic check threw away (they might have been valid), per family. */
const regenerated = new Map<Family, number>();

/** The failure message: what was sent, byte counts and a preview, and what came back, with the seed to replay it. */
function explain(r: FuzzRequest, a: Answer): string {
  const shortHeaders = Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, (Array.isArray(v) ? v.join(' | ') : v).slice(0, 80)]));
  const preview = r.body.subarray(0, 160).toString('latin1');
  const answer = a.status ? `${a.status} ${a.text.slice(0, 300)}` : `no answer (${a.error})`;
  return `seed ${SEED} #${r.index} [${r.family}: ${r.what}] ${r.method} ${r.path.slice(0, 160)} headers=${JSON.stringify(shortHeaders)} body(${r.body.length} bytes)=${JSON.stringify(preview)} → ${answer}`;
}

// ---------------------------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------------------------

let system: TestSystem;
let ctx: Context;
let port: number;
let runsBefore: string[] = [];
const validRuns: string[] = [];

async function runsOnQueue(): Promise<string[]> {
  const ids: string[] = [];
  for await (const run of system.client.workflow.list({ query: `TaskQueue = "${system.settings.taskQueue}"` })) ids.push(run.workflowId);
  return ids.sort();
}

beforeAll(async () => {
  // 2,000 deliveries from one address in seconds: a flood the edge would rightly answer with 429.
  // This suite is about what malformed input gets, so the edge's limits are set above it.
  const generous = { limit: 100_000, windowMs: 10_000 };
  system = await startTestSystem({ security: { rateLimits: { perSource: generous, perKey: generous, webhookPerChannel: generous } } });
  port = Number(new URL(system.apiUrl).port);
  // A signed application's channel (through the store: no subscription at a remote), and a disabled one.
  const mailer = await system.channels.create({
    application: 'demo-mailer',
    name: 'fuzz mailer',
    settings: { baseUrl: 'http://127.0.0.1:9', crmChannelId: 'demo-crm-default' },
    credentials: { apiToken: randomBytes(24).toString('base64url'), webhookSecret: MAILER_SECRET },
    enabled: true,
    authStatus: 'configured',
  });
  const disabled = await system.channels.create({
    application: 'demo-crm',
    name: 'fuzz disabled',
    settings: { baseUrl: system.crm.url },
    credentials: { apiKey: 'x' },
    enabled: false,
    authStatus: 'configured',
  });
  const target = (path: string, flowPath: string): Target => {
    const listening = webhookFlowsAt(flowPath);
    return { path, flows: listening, signed: integrationOf(listening[0]!.application)?.application.webhooks !== undefined };
  };
  const mailerTarget = target(`demo-mailer/contact-events/${mailer.id}`, 'demo-mailer/contact-events');
  ctx = {
    targets: [
      target('demo-crm/orders', 'demo-crm/orders'),
      target('demo-crm/orders/demo-crm-default', 'demo-crm/orders'),
      target('demo-crm/ticket-events', 'demo-crm/ticket-events'),
      target('demo-crm/ticket-events/demo-crm-default', 'demo-crm/ticket-events'),
      mailerTarget,
    ],
    mailerTarget,
    flowPaths: [target('demo-crm/orders', 'demo-crm/orders'), target('demo-crm/ticket-events', 'demo-crm/ticket-events'), target('demo-mailer/contact-events', 'demo-mailer/contact-events')],
    mailerChannelId: mailer.id,
    disabledChannelId: disabled.id,
    channels: new Map((await system.channels.list()).map((c) => [c.id, { application: c.application, enabled: c.enabled }])),
  };
  runsBefore = await runsOnQueue();
});
afterAll(async () => {
  await system?.stop();
});

it(`answers ${COUNT} malformed webhook requests with 4xx, never a 5xx (seed ${SEED})`, async () => {
  const requests = Array.from({ length: COUNT }, (_, i) => generate(SEED, i, ctx, regenerated));
  const errorLinesBefore = system.apiLogLines.length;
  const started = Date.now();
  const answers = await inPool(requests, CONCURRENCY, (r) => send(port, r));
  const elapsed = Date.now() - started;

  const histogram = new Map<Family, Map<string, number>>();
  const failures: string[] = [];
  requests.forEach((r, i) => {
    const a = answers[i]!;
    const key = a.status ? String(a.status) : 'no answer';
    const perFamily = histogram.get(r.family) ?? new Map<string, number>();
    perFamily.set(key, (perFamily.get(key) ?? 0) + 1);
    histogram.set(r.family, perFamily);
    if (!(a.status >= 400 && a.status < 500)) failures.push(explain(r, a));
  });
  if (SHOW) {
    const lines = [...histogram]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([family, statuses]) => {
        const total = [...statuses.values()].reduce((s, n) => s + n, 0);
        const counts = [...statuses]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([status, n]) => `${status}×${n}`)
          .join(' ');
        return `  ${family.padEnd(16)} ${String(total).padStart(5)}  ${counts}${regenerated.get(family) ? `  (${regenerated.get(family)} possibly valid drafts regenerated)` : ''}`;
      });
    const slowest = Math.max(...answers.map((a) => a.ms));
    console.log(`webhook fuzz: seed ${SEED}, ${COUNT} requests in ${elapsed} ms (concurrency ${CONCURRENCY}, slowest ${slowest} ms)\n${lines.join('\n')}`);
  }

  // The API logs every 5xx, and every unexpected exception, at error level (pino 50+).
  const errorLines = system.apiLogLines.slice(errorLinesBefore).filter((line) => ((JSON.parse(line) as { level?: number }).level ?? 0) >= 50);
  expect({ seed: SEED, failures: failures.slice(0, 20), failureCount: failures.length, apiErrorLogs: errorLines.slice(0, 5) }).toEqual({ seed: SEED, failures: [], failureCount: 0, apiErrorLogs: [] });
}, 300_000);

it('is still healthy afterwards: /health is 200 and valid deliveries start runs that complete', async () => {
  const health = await fetch(`${system.apiUrl}/health`);
  expect(health.status).toBe(200);
  expect(((await health.json()) as { status: string }).status).toBe('ok');

  const order = await fetch(`${system.apiUrl}/webhooks/demo-crm/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-delivery-id': `after-fuzz-${randomUUID()}` },
    body: JSON.stringify({ ...orderPlacedExample, orderId: 'ord_after_fuzz' }),
  });
  expect(order.status).toBe(202);
  const orderRun = (await order.json()) as { workflowId: string };
  validRuns.push(orderRun.workflowId);
  await expect(system.client.workflow.getHandle(orderRun.workflowId).result()).resolves.toMatchObject({ contactId: expect.any(String), noteId: expect.any(String) });

  // The signed path too: a correctly signed event (our own echo, so the run ends without calling the mailer).
  const event = Buffer.from(JSON.stringify({ ...(flows.webhooksAt('demo-mailer/contact-events')[0]!.trigger.example as object), id: `evt_after_fuzz_${randomUUID()}`, origin: ENGINE_ORIGIN }), 'utf8');
  const mailer = await fetch(`${system.apiUrl}/webhooks/${ctx.mailerTarget.path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-mailer-signature': sign(event) }, body: event });
  expect(mailer.status).toBe(202);
  const mailerRun = (await mailer.json()) as { workflowId: string };
  validRuns.push(mailerRun.workflowId);
  await expect(system.client.workflow.getHandle(mailerRun.workflowId).result()).resolves.toEqual({ skipped: 'echo' });
});

it('started no run for any malformed request', async () => {
  expect(runsBefore).toEqual([]);
  // Visibility is eventually consistent: wait until the runs started after the fuzz show up, so
  // anything the fuzz started (earlier) has had the time to show up too.
  if (validRuns.length > 0)
    await eventually(async () => ((await runsOnQueue()).filter((id) => validRuns.includes(id)).length === validRuns.length ? true : undefined), 30_000, 'the valid runs in visibility');
  else await new Promise((r) => setTimeout(r, 3_000));
  const unexpected = (await runsOnQueue()).filter((id) => !validRuns.includes(id));
  expect({ seed: SEED, unexpectedRuns: unexpected }).toEqual({ seed: SEED, unexpectedRuns: [] });
});
