/**
 * The two-way sync example, end to end: the CRM and the mailer kept in step both ways through a
 * polling flow (CRM → mailer) and a webhook flow (mailer → CRM), with the engine's own changes
 * recognised by their origin tag so nothing bounces back and forth. The mailer's webhook is
 * subscribed when the channel is enabled and removed when it is disabled or deleted. A large feed
 * keeps each run's history bounded by continuing as new.
 */
import { randomUUID } from 'node:crypto';
import type { History } from '@temporalio/common/lib/proto-utils';
import { startDemoCrm } from '../demo/crm-server';
import { startDemoMailer, type DemoMailer } from '../demo/mailer-server';
import { authHeaders, DEMO_API_KEY, eventually, getJson, postJson, startTestSystem, type TestSystem } from './support/system';

const MAILER_TOKEN = 'mailer-token-not-a-real-secret';
const MAILER_SECRET = 'mailer-webhook-secret-not-real';

let system: TestSystem;
let mailer: DemoMailer;
let channelId: string;

async function patch(path: string, body: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${system.apiUrl}${path}`, { method: 'PATCH', headers: { ...authHeaders(), 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

async function syncNow(): Promise<{ copied: number; skipped: number }> {
  const res = await postJson(`${system.apiUrl}/channels/${channelId}/sync`, {});
  expect(res.status).toBe(202);
  const run = res.body.workflows.find((w: { flow: string }) => w.flow === 'syncCrmContactsToMailer');
  return system.client.workflow.getHandle(run.workflowId).result();
}

/** Results of every applyMailerChangeToCrm run so far (webhook deliveries of this channel). */
async function webhookOutcomes(): Promise<unknown[]> {
  const outcomes = [];
  for await (const run of system.client.workflow.list({ query: `FlowName = "applyMailerChangeToCrm" AND ChannelId = "${channelId}" AND ExecutionStatus = "Completed"` })) {
    outcomes.push(await system.client.workflow.getHandle(run.workflowId, run.runId).result());
  }
  return outcomes;
}

beforeAll(async () => {
  system = await startTestSystem();
  mailer = await startDemoMailer({ apiToken: MAILER_TOKEN });
});
afterAll(async () => {
  await mailer?.close();
  await system?.stop();
});

it('subscribes the mailer webhook when the channel is created, at the public URL', async () => {
  const res = await postJson(`${system.apiUrl}/channels`, {
    application: 'demo-mailer',
    name: 'newsletter',
    settings: { baseUrl: mailer.url, crmChannelId: 'demo-crm-default' },
    credentials: { apiToken: MAILER_TOKEN, webhookSecret: MAILER_SECRET },
  });
  expect(res.status).toBe(201);
  channelId = res.body.id;
  expect([...mailer.subscriptions.values()].map((s) => ({ url: s.url, secret: s.secret }))).toEqual([
    { url: `${system.apiUrl}/webhooks/demo-mailer/contact-events/${channelId}`, secret: MAILER_SECRET },
  ]);
});

it('mirrors every CRM contact into the mailer on the first run, and ignores the echoes of its own writes', async () => {
  await eventually(() => (mailer.contacts.size === system.crm.contacts.length ? true : undefined), 60_000, 'every CRM contact in the mailer');
  await mailer.idle();
  // Each of our writes came back as a signed webhook, accepted and recognised as an echo.
  const outcomes = await eventually(
    async () => {
      const found = await webhookOutcomes();
      return found.length >= system.crm.contacts.length ? found : undefined;
    },
    60_000,
    'the echo deliveries',
  );
  expect(outcomes.every((o) => JSON.stringify(o) === JSON.stringify({ skipped: 'echo' }))).toBe(true);
  expect(system.crm.requests.filter((r) => r.method === 'PATCH' || (r.method === 'POST' && r.path === '/api/contacts'))).toEqual([]);
});

it('carries a CRM change to the mailer, once', async () => {
  const contact = system.crm.contacts[4]!;
  system.crm.changeContact(contact.id, { lastName: 'Changed-In-CRM' });
  expect(await syncNow()).toMatchObject({ copied: 1, skipped: 0 });
  expect(mailer.contacts.get(contact.email)).toMatchObject({ lastName: 'Changed-In-CRM', changedBy: 'integration-engine' });
  await mailer.idle();
  expect(system.crm.requests.filter((r) => r.method === 'PATCH')).toEqual([]);
});

it('carries a mailer change to the CRM, and does not send it back', async () => {
  const contact = system.crm.contacts[8]!;
  const putsBefore = mailer.requests.filter((r) => r.method === 'PUT').length;
  mailer.changeContact(contact.email, { firstName: 'Changed-In-Mailer' });
  await eventually(() => (system.crm.contacts.find((c) => c.id === contact.id)?.firstName === 'Changed-In-Mailer' ? true : undefined), 30_000, 'the CRM to take the mailer change');
  expect(system.crm.contacts.find((c) => c.id === contact.id)).toMatchObject({ changedBy: 'integration-engine' });

  // The next CRM poll sees that change as ours and does not write it back to the mailer.
  expect(await syncNow()).toMatchObject({ copied: 0, skipped: 1 });
  await mailer.idle();
  expect(mailer.requests.filter((r) => r.method === 'PUT').length).toBe(putsBefore);
  expect(system.crm.requests.filter((r) => r.method === 'PATCH')).toHaveLength(1);
});

it("registers the webhook again, with the new secret, when the channel's webhook secret changes", async () => {
  const [before] = [...mailer.subscriptions.values()];
  const rotated = 'rotated-mailer-secret-not-real';
  expect((await patch(`/channels/${channelId}`, { credentials: { webhookSecret: rotated } })).status).toBe(200);
  const after = [...mailer.subscriptions.values()];
  expect(after.map((s) => ({ url: s.url, secret: s.secret }))).toEqual([{ url: before!.url, secret: rotated }]);
  expect(after[0]!.id).not.toBe(before!.id);
  // A change that keeps the secret leaves the subscription as it is.
  expect((await patch(`/channels/${channelId}`, { name: 'renamed' })).status).toBe(200);
  expect([...mailer.subscriptions.values()].map((s) => s.id)).toEqual([after[0]!.id]);
  // Back to the secret the other tests sign with.
  expect((await patch(`/channels/${channelId}`, { credentials: { webhookSecret: MAILER_SECRET } })).status).toBe(200);
});

it('removes the subscription when the channel is disabled, adds it back when enabled, and removes it on delete', async () => {
  expect((await patch(`/channels/${channelId}`, { enabled: false })).status).toBe(200);
  expect(mailer.subscriptions.size).toBe(0);
  expect((await patch(`/channels/${channelId}`, { enabled: true })).status).toBe(200);
  expect(mailer.subscriptions.size).toBe(1);
  const res = await fetch(`${system.apiUrl}/channels/${channelId}`, { method: 'DELETE', headers: authHeaders() });
  expect(res.status).toBe(204);
  expect(mailer.subscriptions.size).toBe(0);
  expect((await getJson(`${system.apiUrl}/channels/${channelId}`)).status).toBe(404);
});

it('refuses to create a channel whose webhook the remote refuses, and keeps nothing of it', async () => {
  const before = (await getJson(`${system.apiUrl}/channels`)).body.length;
  const res = await postJson(`${system.apiUrl}/channels`, {
    application: 'demo-mailer',
    name: 'wrong token',
    settings: { baseUrl: mailer.url, crmChannelId: 'demo-crm-default' },
    credentials: { apiToken: 'wrong-token', webhookSecret: MAILER_SECRET },
  });
  expect(res.status).toBe(502);
  expect(res.body.message).toMatch(/demo-mailer did not accept the webhook subscribe: .*401/);
  expect((await getJson(`${system.apiUrl}/channels`)).body.length).toBe(before);
});

describe('a large feed', () => {
  // 12 pages of 500: the flow continues as new after every 4 pages (pollingSync's default), so
  // the chain has 3 runs, each with the history of 4 pages. Another 100,000 records would add
  // runs, not events per run (bench/polling-sync.ts measures that size).
  const RECORDS = 6_000;

  it("continues as new every few pages, so no run's history grows with the feed", async () => {
    const crm = await startDemoCrm({ apiKey: DEMO_API_KEY, contacts: RECORDS });
    const target = await startDemoMailer({ apiToken: MAILER_TOKEN });
    try {
      const suffix = randomUUID().slice(0, 8);
      const template = (await system.channels.get('demo-crm-default'))!;
      const crmChannel = await system.channels.create({ ...template, id: `large-crm-${suffix}`, name: 'large feed', settings: { baseUrl: crm.url } });
      // Created in the store, not through the API: no webhook subscription, so the mailer sends no
      // echoes back and this test is about the polling half alone.
      const mailerChannel = await system.channels.create({
        id: `large-mailer-${suffix}`,
        application: 'demo-mailer',
        name: 'large feed',
        settings: { baseUrl: target.url, crmChannelId: crmChannel.id },
        credentials: { apiToken: MAILER_TOKEN, webhookSecret: MAILER_SECRET },
        enabled: true,
        authStatus: 'not-required',
      });
      const res = await postJson(`${system.apiUrl}/channels/${mailerChannel.id}/sync`, {});
      expect(res.status).toBe(202);
      const { workflowId } = res.body.workflows.find((w: { flow: string }) => w.flow === 'syncCrmContactsToMailer');
      const handle = system.client.workflow.getHandle(workflowId);

      expect(await handle.result()).toEqual({ pages: 12, copied: RECORDS, skipped: 0, cursor: String(RECORDS) });
      expect(target.contacts.size).toBe(RECORDS);
      expect(target.contacts.get(crm.contacts[RECORDS - 1]!.email.toLowerCase())).toMatchObject({ version: 1 });
      expect(await system.cursors.get(mailerChannel.id, 'syncCrmContactsToMailer')).toMatchObject({ cursor: String(RECORDS) });

      // Follow the chain from its first run: every run but the last continued as new, and each
      // run's history is the same few dozen events.
      const histories: History[] = [];
      let runId: string | undefined = (await handle.describe()).raw.workflowExecutionInfo?.firstRunId ?? undefined;
      while (runId) {
        const history: History = await system.client.workflow.getHandle(workflowId, runId).fetchHistory();
        histories.push(history);
        runId = history.events!.at(-1)!.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
      }
      expect(histories).toHaveLength(3);
      expect(Math.max(...histories.map((h) => h.events!.length))).toBeLessThan(100);
    } finally {
      await target.close();
      await crm.close();
    }
  });
});
