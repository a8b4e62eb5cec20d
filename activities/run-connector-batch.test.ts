/**
 * The batch activity in Temporal's activity environment, against a loopback target and a real
 * store: which records each attempt sends (resuming from the heartbeated bitmap, v2 or an older
 * worker's v1, or from an even older worker's count), and the failure it reports for Temporal's
 * retry (the longest Retry-After, a cancellation as a cancellation).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { ConnectorRegistry } from '../connectors/registry';
import { generateKey } from '../store/credential-cipher';
import { openStore, type Store } from '../store/open-store';
import { createRunConnectorBatchActivity } from './run-connector-batch';

const RECORDS = 25;
const emailOf = (i: number) => `member-${i}@example.com`;
const inputs = Array.from({ length: RECORDS }, (_, i) => ({ email: emailOf(i), firstName: 'F', lastName: 'L', sourceId: `c_${i}`, sourceVersion: 'v1' }));

/** The target: answers each e-mail with its scripted answers in turn (then 200), and logs what arrived. */
let server: Server;
let baseUrl: string;
let arrived: string[] = [];
let script = new Map<string, Array<{ status: number; headers?: Record<string, string>; delayMs?: number }>>();
let store: Store;
let runBatch: ReturnType<typeof createRunConnectorBatchActivity>;

beforeAll(async () => {
  server = createServer((req, res) => {
    const email = decodeURIComponent(req.url!.split('/').pop()!);
    arrived.push(email);
    const answer = script.get(email)?.shift() ?? { status: 200 };
    req.resume();
    setTimeout(
      () => res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers }).end(JSON.stringify(answer.status < 300 ? { email, created: true } : { error: 'scripted' })),
      answer.delayMs ?? 0,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  store = await openStore(mkdtempSync(join(tmpdir(), 'engine-batch-')), () => undefined, { CREDENTIALS_KEYS: generateKey('batch') });
  await store.channels.create({ id: 'batch-test', application: 'demo-crm', name: 'batch', settings: { baseUrl }, credentials: { apiKey: 'k' }, enabled: true, authStatus: 'not-required' });
  runBatch = createRunConnectorBatchActivity({ channels: store.channels, tokens: store.tokens, registry: new ConnectorRegistry(store.imported) });
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await store.close();
});
beforeEach(() => {
  arrived = [];
  script = new Map();
});

/** One attempt, as Temporal would run it after `heartbeatDetails` were recorded; returns its outcome and last heartbeat. */
async function attempt(heartbeatDetails?: unknown, env = new MockActivityEnvironment({ heartbeatDetails, workflowExecution: { workflowId: 'wf', runId: 'run' }, activityId: '1' })) {
  let heartbeat: unknown = heartbeatDetails;
  env.on('heartbeat', (details: unknown) => (heartbeat = details));
  const outcome = await env.run(runBatch, { channelId: 'batch-test', connector: 'demoCrm.upsertMailingListMember', inputs }).then(
    (outputs) => ({ outputs: outputs as unknown[], error: undefined }),
    (error: unknown) => ({ outputs: undefined, error }),
  );
  return { ...outcome, heartbeat };
}

it('goes on past a failed record, reports how many failed, and the retry sends only those', async () => {
  script.set(emailOf(3), [{ status: 500 }]);
  script.set(emailOf(17), [{ status: 502 }]);
  const first = await attempt();
  expect(first.error).toBeInstanceOf(ApplicationFailure);
  expect((first.error as ApplicationFailure).message).toMatch(/^2 of 25 records failed/);
  expect((first.error as ApplicationFailure).nonRetryable).toBe(false);
  expect(arrived).toHaveLength(RECORDS);

  arrived = [];
  const retry = await attempt(first.heartbeat);
  expect(retry.error).toBeUndefined();
  expect(arrived.sort()).toEqual([emailOf(17), emailOf(3)]);
  // Records an earlier attempt finished have no output in this one.
  expect(retry.outputs!.filter((output) => output !== null)).toEqual([
    { email: emailOf(3), created: true },
    { email: emailOf(17), created: true },
  ]);
});

it('stops sending at a 429 and asks Temporal to wait the longest Retry-After of the chunk, over a 500 beside it', async () => {
  script.set(emailOf(2), [{ status: 500 }]);
  script.set(emailOf(4), [{ status: 429, headers: { 'retry-after': '1' } }]);
  script.set(emailOf(6), [{ status: 429, headers: { 'retry-after': '3' } }]);
  const { error, heartbeat } = await attempt();
  expect(arrived).toHaveLength(10); // the first chunk only
  expect(error).toBeInstanceOf(ApplicationFailure);
  expect((error as ApplicationFailure).nextRetryDelay).toBe(3_000);
  expect((error as ApplicationFailure).type).toBe('RateLimited');

  arrived = [];
  await attempt(heartbeat);
  expect(arrived).toHaveLength(RECORDS - 7);
  expect(arrived).toEqual(expect.arrayContaining([emailOf(2), emailOf(4), emailOf(6), emailOf(24)]));
});

it('heartbeats versioned details (v2), which the next attempt resumes from', async () => {
  script.set(emailOf(5), [{ status: 500 }]);
  const first = await attempt();
  expect(first.heartbeat).toEqual({ v: 2, size: RECORDS, done: expect.any(String) });
  arrived = [];
  expect((await attempt(first.heartbeat)).error).toBeUndefined();
  expect(arrived).toEqual([emailOf(5)]);
});

it("reads an older worker's unversioned bitmap (v1)", async () => {
  // Records 0-7 and 16-23 done: only 8-15 and 24 are sent.
  const done = Buffer.from([0xff, 0x00, 0xff, 0x00]).toString('base64');
  const { error } = await attempt({ size: RECORDS, done });
  expect(error).toBeUndefined();
  expect(arrived.sort()).toEqual([8, 9, 10, 11, 12, 13, 14, 15, 24].map(emailOf).sort());
});

it("reads an older worker's heartbeat (a count of records done from the start)", async () => {
  const { error } = await attempt(20);
  expect(error).toBeUndefined();
  expect(arrived.sort()).toEqual([20, 21, 22, 23, 24].map(emailOf).sort());
});

it('reports a cancellation as a cancellation, not as failed records', async () => {
  for (let i = 0; i < RECORDS; i++) script.set(emailOf(i), [{ status: 200, delayMs: 2_000 }]);
  const env = new MockActivityEnvironment({ workflowExecution: { workflowId: 'wf', runId: 'run' }, activityId: '1' });
  setTimeout(() => env.cancel(), 100);
  const { error } = await attempt(undefined, env);
  expect(error).toBeInstanceOf(CancelledFailure);
});
