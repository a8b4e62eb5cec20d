/**
 * The API is killed (SIGKILL) in the middle of a burst of webhooks. Every delivery that got a 2xx
 * has its run in Temporal (the answered run id); every other one got an error or no answer, never
 * a 2xx. The sender then retries what was not acknowledged against an API restarted on the same
 * DATA_DIR: each retry is answered 2xx (a start, or `duplicate: true` when the killed API had
 * already reached Temporal), and the queue ends up with exactly one run per delivery.
 *
 * Runs the built API (`dist/api/main.js`, as `npm start` does) as a child process against the
 * shared Temporal. No worker: a started run exists in Temporal whether or not anything executes it.
 * RELIABILITY_BURST sets the number of deliveries (default 400).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { boundToBody } from '../../api/webhooks/delivery-id';
import type { WebhookAccepted } from '../../api/webhooks/webhooks.service';
import { startDemoCrm, type DemoCrm } from '../../demo/crm-server';
import { orderPlacedExample } from '../../workflows/order-placed.schema';
import { isRunning, startBuilt, stopBuilt, type BuiltProcess } from '../support/built-process';
import { freePort } from '../support/ports';
import { DEMO_API_KEY, eventually, TEST_CREDENTIALS_KEYS, temporalAddress } from '../support/system';

const BURST = Number(process.env.RELIABILITY_BURST ?? 400);
const CONCURRENCY = 32;
/** The API is killed once this many answers (of any status) have come back. */
const KILL_AFTER = Math.ceil(BURST / 3);
const REQUEST_TIMEOUT_MS = 15_000;
const dataDir = mkdtempSync(join(tmpdir(), 'engine-api-kill-'));
const taskQueue = `api-kill-${randomUUID()}`;
const channelId = 'demo-crm-default';
const runTag = randomUUID().slice(0, 8);

let crm: DemoCrm;
let client: Client;
let port: number;
let api: BuiltProcess | undefined;
/** Every API this test started, in order: their output together is the test's system output. */
const apis: BuiltProcess[] = [];
const output = () => apis.map((p) => p.output()).join('');

interface Delivery {
  deliveryId: string;
  raw: string;
  workflowId: string;
}

/** What the sender saw: a complete answer, or an error (possibly after the status line arrived). */
interface Outcome {
  status?: number;
  body?: WebhookAccepted;
  error?: string;
}

const deliveries: Delivery[] = Array.from({ length: BURST }, (_, i) => {
  const deliveryId = `burst-${runTag}-${i}`;
  const raw = JSON.stringify({ ...orderPlacedExample, orderId: `ord_${runTag}_${i}` });
  // demo-crm/orders is unsigned: the header id is bound to the body's hash.
  return { deliveryId, raw, workflowId: `orderPlaced/${channelId}/${boundToBody(deliveryId, Buffer.from(raw))}` };
});

function startApi(): BuiltProcess {
  const started = startBuilt('api', {
    DATA_DIR: dataDir,
    CREDENTIALS_KEYS: TEST_CREDENTIALS_KEYS,
    TEMPORAL_ADDRESS: temporalAddress(),
    TEMPORAL_TASK_QUEUE: taskQueue,
    PORT: String(port),
    HOST: '127.0.0.1',
    CHANNEL_DEMO_CRM_SETTINGS: JSON.stringify({ baseUrl: crm.url }),
    CHANNEL_DEMO_CRM_CREDENTIALS: JSON.stringify({ apiKey: DEMO_API_KEY }),
  });
  apis.push(started);
  return started;
}

async function healthy(instance: BuiltProcess): Promise<void> {
  await eventually(
    async () => {
      if (!isRunning(instance.child)) throw new Error(`the API exited before it was healthy:\n${output().slice(-4_000)}`);
      const res = await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined);
      return res?.status === 200 ? true : undefined;
    },
    60_000,
    'the API to answer /health with 200',
  );
}

/** One POST on a connection of its own; resolves (never rejects) with what came back. */
function deliver(delivery: Delivery): Promise<Outcome> {
  return new Promise((resolve) => {
    let status: number | undefined;
    let settled = false;
    const done = (outcome: Outcome) => {
      if (settled) return;
      settled = true;
      resolve(outcome);
    };
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/webhooks/demo-crm/orders',
        agent: false,
        timeout: REQUEST_TIMEOUT_MS,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(delivery.raw), 'x-delivery-id': delivery.deliveryId },
      },
      (res) => {
        status = res.statusCode;
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (err) => done({ status, error: describeError(err) }));
        res.on('close', () => {
          if (!res.complete) return done({ status, error: 'response cut off' });
          const text = Buffer.concat(chunks).toString('utf8');
          try {
            done({ status, body: text ? (JSON.parse(text) as WebhookAccepted) : undefined });
          } catch {
            done({ status, error: `unreadable body: ${text.slice(0, 200)}` });
          }
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err) => done({ status, error: describeError(err) }));
    req.end(delivery.raw);
  });
}

function describeError(err: Error): string {
  const code = (err as NodeJS.ErrnoException).code;
  return code ? `${code}: ${err.message}` : err.message;
}

/** Runs `task` over `items`, `limit` at a time, keeping the order of the results. */
async function pool<T, R>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i]!, i);
    }
  });
  await Promise.all(lanes);
  return results;
}

/** The run's id when the workflow exists in Temporal, undefined when it does not. */
async function runOf(workflowId: string): Promise<{ runId: string; taskQueue: string } | undefined> {
  try {
    const description = await client.workflow.getHandle(workflowId).describe();
    return { runId: description.runId, taskQueue: description.taskQueue };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}

const is2xx = (outcome: Outcome) => outcome.status !== undefined && outcome.status >= 200 && outcome.status < 300;

beforeAll(async () => {
  crm = await startDemoCrm({ apiKey: DEMO_API_KEY, contacts: 5 });
  port = await freePort();
  client = new Client({ connection: await Connection.connect({ address: temporalAddress() }) });
});

afterAll(async () => {
  await stopBuilt(api, 'SIGKILL');
  // Nothing executes these runs: terminate them so they do not linger on the shared server.
  if (client) {
    await pool(deliveries, 16, (delivery) =>
      client.workflow
        .getHandle(delivery.workflowId)
        .terminate('api-kill-burst test cleanup')
        .catch(() => undefined),
    );
    await client.connection.close();
  }
  await crm?.close();
  rmSync(dataDir, { recursive: true, force: true });
  if (process.env.SHOW_SYSTEM_OUTPUT) console.log(output());
});

it(`keeps every 2xx of a ${BURST}-webhook burst when the API is killed mid-burst, and a retry of the rest starts each run exactly once`, async () => {
  const startedAt = Date.now();
  api = startApi();
  await healthy(api);

  // The burst: CONCURRENCY connections at a time; the API is SIGKILLed once KILL_AFTER answers are back.
  const first = api;
  let answers = 0;
  let killedAt: number | undefined;
  let exited: Promise<void> | undefined;
  const outcomes = await pool(deliveries, CONCURRENCY, async (delivery) => {
    const outcome = await deliver(delivery);
    if (++answers >= KILL_AFTER && killedAt === undefined) {
      killedAt = answers;
      exited = stopBuilt(first, 'SIGKILL');
    }
    return outcome;
  });
  await exited;
  expect(killedAt).toBe(KILL_AFTER);
  expect(isRunning(first.child)).toBe(false);

  const acknowledged = deliveries.filter((_, i) => is2xx(outcomes[i]!));
  const refused = deliveries.filter((_, i) => !is2xx(outcomes[i]!));
  const failures = refused.map((delivery) => ({ deliveryId: delivery.deliveryId, ...outcomes[deliveries.indexOf(delivery)]! }));

  // The kill landed mid-burst: some deliveries were acknowledged before it, some were not.
  expect(acknowledged.length).toBeGreaterThan(0);
  expect(refused.length).toBeGreaterThan(0);
  // A non-2xx is a lost connection (reset, refused, cut off, timed out) or a 5xx, never a 4xx: every body is valid.
  expect(failures.filter((f) => !(f.error !== undefined || (f.status !== undefined && f.status >= 500)))).toEqual([]);

  // Every 2xx names the delivery's run, and that run exists in Temporal on the API's task queue.
  for (const delivery of acknowledged) {
    const outcome = outcomes[deliveries.indexOf(delivery)]!;
    expect({ deliveryId: delivery.deliveryId, status: outcome.status, workflowId: outcome.body?.workflowId }).toEqual({
      deliveryId: delivery.deliveryId,
      status: 202,
      workflowId: delivery.workflowId,
    });
  }
  const acknowledgedRuns = await pool(acknowledged, 16, (delivery) => runOf(delivery.workflowId));
  const missing = acknowledged.filter((delivery, i) => {
    const run = acknowledgedRuns[i];
    return !run || run.taskQueue !== taskQueue || run.runId !== outcomes[deliveries.indexOf(delivery)]!.body?.runId;
  });
  expect(missing.map((delivery) => delivery.workflowId)).toEqual([]);

  // Some unacknowledged deliveries may have reached Temporal before the kill (the answer was lost).
  const refusedRuns = await pool(refused, 16, (delivery) => runOf(delivery.workflowId));
  const startedUnanswered = new Set(refused.filter((_, i) => refusedRuns[i] !== undefined).map((delivery) => delivery.deliveryId));

  // The sender retries what was not acknowledged, same delivery id and body, against a restarted API.
  api = startApi();
  await healthy(api);
  const retries = await pool(refused, CONCURRENCY, (delivery) => deliver(delivery));
  expect(retries.map((retry, i) => ({ deliveryId: refused[i]!.deliveryId, ...retry })).filter((retry) => retry.status !== 202)).toEqual([]);
  refused.forEach((delivery, i) => {
    const retry = retries[i]!;
    expect(retry.body?.workflowId).toBe(delivery.workflowId);
    // duplicate exactly when the killed API had already started the run: the retry starts nothing new.
    expect({ deliveryId: delivery.deliveryId, duplicate: retry.body?.duplicate === true }).toEqual({ deliveryId: delivery.deliveryId, duplicate: startedUnanswered.has(delivery.deliveryId) });
    if (refusedRuns[i]) expect(retry.body?.runId).toBe(refusedRuns[i]!.runId);
  });

  // A redelivery of an acknowledged webhook starts nothing either, and names the same run.
  const redelivered = acknowledged.slice(0, 20);
  const again = await pool(redelivered, CONCURRENCY, (delivery) => deliver(delivery));
  redelivered.forEach((delivery, i) => {
    expect(again[i]).toMatchObject({ status: 202, body: { workflowId: delivery.workflowId, runId: outcomes[deliveries.indexOf(delivery)]!.body!.runId, duplicate: true } });
  });

  // Exactly one run per delivery on the queue: none lost, none doubled (visibility catches up).
  const expected = new Set(deliveries.map((delivery) => delivery.workflowId));
  const listed = await eventually(
    async () => {
      const ids: string[] = [];
      for await (const execution of client.workflow.list({ query: `TaskQueue = "${taskQueue}"` })) ids.push(execution.workflowId);
      return ids.length >= BURST ? ids : undefined;
    },
    60_000,
    `${BURST} runs to be listed on the task queue`,
  );
  await new Promise((r) => setTimeout(r, 1_000));
  const count = await client.workflow.count(`TaskQueue = "${taskQueue}"`);
  expect(listed).toHaveLength(BURST);
  expect(count.count).toBe(BURST);
  expect(new Set(listed)).toEqual(expected);

  const errors = new Map<string, number>();
  for (const failure of failures) {
    const kind = failure.error?.split(':')[0] ?? `HTTP ${failure.status}`;
    errors.set(kind, (errors.get(kind) ?? 0) + 1);
  }
  console.log(
    `api-kill-burst: ${BURST} deliveries, killed after ${KILL_AFTER} answers; ${acknowledged.length} acknowledged (2xx), ${refused.length} not ` +
      `(${[...errors].map(([kind, n]) => `${kind} ${n}`).join(', ')}); ${startedUnanswered.size} of those had started anyway; ` +
      `${refused.length} resent -> ${retries.filter((r) => r.body?.duplicate).length} duplicate, ${retries.filter((r) => r.status === 202 && !r.body?.duplicate).length} new; ` +
      `${count.count} runs on the queue; ${((Date.now() - startedAt) / 1000).toFixed(1)} s`,
  );
}, 240_000);
