/**
 * A polling sync whose target fails a third of its writes at random: 500s, 429s with Retry-After,
 * answers past the connector's timeout, dropped connections. Every record still arrives exactly
 * once, and after a 429 no write reaches the target before its Retry-After has passed.
 */
import { randomUUID } from 'node:crypto';
import { startChaosProxy, type ChaosProxy } from '../support/chaos-proxy';
import { postJson, startTestSystem, type TestSystem } from '../support/system';

const RECORDS = Number(process.env.RELIABILITY_RECORDS ?? 120);
const SEED = Number(process.env.RELIABILITY_SEED ?? 20261123);
/**
 * Requests of the same chunk, sent together with the one answered 429, may still arrive this much
 * later (the proxy, the worker and the target share one event loop here). A batch that ignored the
 * 429 would send its next chunks at once and for seconds, far past this.
 */
const IN_FLIGHT_GRACE_MS = 300;

let system: TestSystem;
let proxy: ChaosProxy;

beforeAll(async () => {
  system = await startTestSystem({ contacts: RECORDS });
  proxy = await startChaosProxy({
    target: system.crm.url,
    seed: SEED,
    failureRate: 1 / 3,
    // Only the writes to the mailing list (the sync's target); reading the change feed is left alone.
    disturb: (req) => (req.method === 'PUT' && req.url?.startsWith('/api/mailing-list/members/') ? String(req.headers['idempotency-key']) : undefined),
    slowMs: 10_500, // the demo CRM application's timeout is 10 s
    maxSlow: 2,
  });
});
afterAll(async () => {
  await proxy?.close();
  await system?.stop();
});

it(`syncs ${RECORDS} records exactly once through a target failing a third of its writes, respecting Retry-After`, async () => {
  const template = (await system.channels.get('demo-crm-default'))!;
  const channel = await system.channels.create({ ...template, id: `chaos-${randomUUID().slice(0, 8)}`, name: 'chaotic target', settings: { baseUrl: proxy.url } });

  const started = await postJson(`${system.apiUrl}/channels/${channel.id}/sync`, {});
  expect(started.status).toBe(202);
  const [run] = started.body.workflows as Array<{ workflowId: string }>;
  const progress = await system.client.workflow.getHandle(run!.workflowId).result();

  expect(progress).toMatchObject({ copied: RECORDS, cursor: String(RECORDS) });
  // Every record arrived, and each was applied once, however often it was sent.
  expect(system.crm.mailingList.size).toBe(RECORDS);
  for (const contact of system.crm.contacts) expect(system.crm.mailingList.get(contact.email)).toMatchObject({ sourceId: contact.id });
  expect([...system.crm.mailingListWrites.values()].filter((count) => count !== 1)).toEqual([]);

  // The chaos really happened: every kind of fault, about a third of all requests.
  const faults = new Map<string, number>();
  for (const event of proxy.events) faults.set(event.fault, (faults.get(event.fault) ?? 0) + 1);
  for (const fault of ['status-500', 'rate-limited', 'slow', 'drop-before', 'drop-after']) expect(faults.get(fault) ?? 0).toBeGreaterThan(0);
  const failed = proxy.events.length - (faults.get('none') ?? 0);
  expect(failed / proxy.events.length).toBeGreaterThan(0.2);

  // Retry-After respected: after each 429, nothing new arrived at the target until it had passed.
  const violations = proxy.events.flatMap(({ at, retryAfterMs }) => {
    if (retryAfterMs === undefined) return [];
    const waitedUntil = at + retryAfterMs;
    return proxy.events.filter((e) => e.at > at + IN_FLIGHT_GRACE_MS && e.at < waitedUntil).map((e) => ({ key: e.key, earlyByMs: Math.round(waitedUntil - e.at) }));
  });
  expect(violations).toEqual([]);

  if (process.env.SHOW_SYSTEM_OUTPUT) console.log({ seed: SEED, requests: proxy.events.length, faults: Object.fromEntries(faults), replayedWrites: system.crm.replayedWrites() });
}, 600_000);
