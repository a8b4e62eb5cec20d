/**
 * The demo mailer against real HTTP on loopback: its API, and the signed webhook events it
 * delivers to a small receiving server started here.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startDemoMailer, type DemoMailer, type MailerContact, type MailerEvent } from './mailer-server';

const TOKEN = 'test-token';
const SECRET = 'whsec-test-secret';
let mailer: DemoMailer;
const receivers: Receiver[] = [];

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

async function api(method: string, path: string, init: { body?: unknown; raw?: string; headers?: Record<string, string>; token?: string | null } = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...init.headers };
  const token = init.token === undefined ? TOKEN : init.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  const body = init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body));
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${mailer.url}${path}`, { method, headers, body });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: text ? JSON.parse(text) : undefined };
}

const putContact = (email: string, body: unknown, headers?: Record<string, string>) => api('PUT', `/v1/contacts/${encodeURIComponent(email)}`, { body, headers });

interface Received {
  headers: IncomingHttpHeaders;
  raw: Buffer;
  event: MailerEvent;
}
interface Receiver {
  url: string;
  received: Received[];
  /** Statuses to answer with, first to last; 204 once used up. */
  answers: number[];
  /** How long to wait before answering. */
  delayMs: number;
  server: Server;
}

/** A webhook endpoint standing in for the engine's: records every POST with its exact bytes. */
async function startReceiver(): Promise<Receiver> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      receiver.received.push({ headers: req.headers, raw, event: JSON.parse(raw.toString('utf8')) as MailerEvent });
      const status = receiver.answers.shift() ?? 204;
      setTimeout(() => res.writeHead(status).end(), receiver.delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const receiver: Receiver = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/mailer`, received: [], answers: [], delayMs: 0, server };
  receivers.push(receiver);
  return receiver;
}

async function subscribe(url: string, extra: Record<string, unknown> = {}): Promise<string> {
  const answer = await api('POST', '/v1/webhook-subscriptions', { body: { url, secret: SECRET, ...extra } });
  expect(answer.status).toBe(201);
  return (answer.json as { id: string }).id;
}

function signatureIsValid(received: Received, secret: string): boolean {
  const header = String(received.headers['x-mailer-signature']);
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(received.raw).digest('hex')}`);
  const actual = Buffer.from(header);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

beforeEach(async () => {
  mailer = await startDemoMailer({ apiToken: TOKEN });
});

afterEach(async () => {
  await mailer.close();
  for (const receiver of receivers.splice(0)) {
    receiver.server.closeAllConnections();
    await new Promise((resolve) => receiver.server.close(resolve));
  }
});

describe('auth', () => {
  it('answers 401 without the bearer token or with a wrong one', async () => {
    for (const token of [null, 'wrong']) {
      const answer = await api('GET', '/v1/contacts', { token });
      expect(answer.status).toBe(401);
      expect(answer.json).toEqual({ error: expect.any(String) });
    }
    expect((await api('PUT', '/v1/contacts/a%40example.com', { token: null, body: { firstName: 'A' } })).status).toBe(401);
    expect(mailer.contacts.size).toBe(0);
    expect((await api('GET', '/v1/contacts')).status).toBe(200);
  });
});

describe('contacts', () => {
  it('creates with PUT (201), updates (200), and bumps the version only on a real change', async () => {
    const created = await putContact('Ada@Example.com', { firstName: 'Ada', lastName: 'Lovelace', subscribed: true });
    expect(created.status).toBe(201);
    expect(created.json).toEqual({ email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', subscribed: true, updatedAt: expect.any(String), version: 1, changedBy: 'api' });

    const updated = await putContact('ada@example.com', { subscribed: false });
    expect(updated.status).toBe(200);
    const afterUpdate = updated.json as MailerContact;
    expect(afterUpdate).toMatchObject({ firstName: 'Ada', lastName: 'Lovelace', subscribed: false, version: 2 });
    expect(afterUpdate.updatedAt >= (created.json as MailerContact).updatedAt).toBe(true);

    const unchanged = await putContact('ada@example.com', { firstName: 'Ada', subscribed: false });
    expect(unchanged.status).toBe(200);
    expect(unchanged.json).toEqual(afterUpdate);

    expect((await api('GET', '/v1/contacts/ADA%40example.com')).json).toEqual(afterUpdate);
    expect(mailer.contacts.get('ada@example.com')).toEqual(afterUpdate);
  });

  it('applies a repeated Idempotency-Key once and returns the first answer', async () => {
    const first = await putContact('grace@example.com', { firstName: 'Grace' }, { 'idempotency-key': 'k-1' });
    const again = await putContact('grace@example.com', { firstName: 'Amazing Grace' }, { 'idempotency-key': 'k-1' });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.json).toEqual(first.json);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(mailer.contacts.get('grace@example.com')).toMatchObject({ firstName: 'Grace', version: 1 });

    // The same key for another contact is a caller's bug, not a retry.
    const reused = await putContact('alan@example.com', { firstName: 'Alan' }, { 'idempotency-key': 'k-1' });
    expect(reused.status).toBe(422);
    expect(mailer.contacts.has('alan@example.com')).toBe(false);

    // A new key is a new write.
    expect((await putContact('grace@example.com', { firstName: 'Amazing Grace' }, { 'idempotency-key': 'k-2' })).json).toMatchObject({ version: 2 });
  });

  it('records X-Change-Origin as changedBy, and "api" without it or when it is too long', async () => {
    expect((await putContact('a@example.com', { firstName: 'A' }, { 'x-change-origin': 'engine:sync-1' })).json).toMatchObject({ changedBy: 'engine:sync-1' });
    expect((await putContact('a@example.com', { firstName: 'B' })).json).toMatchObject({ changedBy: 'api' });
    expect((await putContact('a@example.com', { firstName: 'C' }, { 'x-change-origin': 'x'.repeat(65) })).json).toMatchObject({ changedBy: 'api' });
    expect(mailer.changeContact('a@example.com', { firstName: 'D' })).toMatchObject({ changedBy: 'user', version: 4 });
  });

  it('lists contacts in pages', async () => {
    for (const name of ['a', 'b', 'c']) await putContact(`${name}@example.com`, { firstName: name });
    const first = await api('GET', '/v1/contacts?page=1&perPage=2');
    expect(first.json).toMatchObject({ page: 1, hasMore: true, items: [{ email: 'a@example.com' }, { email: 'b@example.com' }] });
    const second = await api('GET', '/v1/contacts?page=2&perPage=2');
    expect(second.json).toMatchObject({ page: 2, hasMore: false, items: [{ email: 'c@example.com' }] });
    expect((await api('GET', '/v1/contacts?page=0')).status).toBe(400);
  });

  it('deletes (204), then 404', async () => {
    await putContact('a@example.com', {});
    expect((await api('DELETE', '/v1/contacts/a%40example.com')).status).toBe(204);
    expect((await api('DELETE', '/v1/contacts/a%40example.com')).status).toBe(404);
    expect((await api('GET', '/v1/contacts/a%40example.com')).status).toBe(404);
  });
});

describe('webhook subscriptions', () => {
  it('creates, lists and deletes them, never showing the secret', async () => {
    const created = await api('POST', '/v1/webhook-subscriptions', { body: { url: 'https://engine.example/hooks', secret: SECRET } });
    expect(created.status).toBe(201);
    const { id } = created.json as { id: string };
    expect(created.json).toEqual({ id, url: 'https://engine.example/hooks', events: ['contact.created', 'contact.updated', 'contact.deleted'] });
    const narrow = await api('POST', '/v1/webhook-subscriptions', { body: { url: 'http://127.0.0.1:1/x', secret: SECRET, events: ['contact.deleted'] } });
    expect(narrow.json).toMatchObject({ events: ['contact.deleted'] });

    const listed = await api('GET', '/v1/webhook-subscriptions');
    expect((listed.json as { items: unknown[] }).items).toEqual([created.json, narrow.json]);
    for (const answer of [created, narrow, listed]) expect(answer.text).not.toContain(SECRET);
    expect(mailer.subscriptions.get(id)?.secret).toBe(SECRET);

    expect((await api('DELETE', `/v1/webhook-subscriptions/${id}`)).status).toBe(204);
    expect((await api('DELETE', `/v1/webhook-subscriptions/${id}`)).status).toBe(404);
    expect((await api('GET', '/v1/webhook-subscriptions')).json).toEqual({ items: [narrow.json] });
  });

  it('creates one subscription for a repeated Idempotency-Key (a retried registration)', async () => {
    const before = mailer.subscriptions.size;
    const register = () => api('POST', '/v1/webhook-subscriptions', { body: { url: 'https://engine.example/retried', secret: SECRET }, headers: { 'idempotency-key': 'register-once' } });
    const [first, again] = [await register(), await register()];
    expect(again.json).toEqual(first.json);
    expect(mailer.subscriptions.size).toBe(before + 1);
  });
});

describe('webhook deliveries', () => {
  it('delivers every change as an event signed over its exact bytes, without holding up the API answer', async () => {
    const receiver = await startReceiver();
    const subscriptionId = await subscribe(receiver.url);
    receiver.delayMs = 300;

    const created = await putContact('ada@example.com', { firstName: 'Ada' }, { 'x-change-origin': 'engine:sync-1' });
    expect(created.status).toBe(201);
    expect(mailer.deliveries).toHaveLength(0); // answered before the receiver did
    await mailer.idle();
    receiver.delayMs = 0;
    mailer.changeContact('ada@example.com', { lastName: 'Lovelace' });
    expect((await api('DELETE', '/v1/contacts/ada%40example.com', { headers: { 'x-change-origin': 'engine:sync-2' } })).status).toBe(204);
    await mailer.idle();

    const events = receiver.received.map((r) => r.event).sort((a, b) => a.contact.version - b.contact.version || a.type.localeCompare(b.type));
    expect(events.map((e) => [e.type, e.origin])).toEqual([
      ['contact.created', 'engine:sync-1'],
      ['contact.deleted', 'engine:sync-2'],
      ['contact.updated', 'user'],
    ]);
    expect(events[0]!.contact).toEqual(created.json);
    expect(events[1]!.contact).toMatchObject({ email: 'ada@example.com', lastName: 'Lovelace', version: 2 }); // the last state
    for (const received of receiver.received) {
      expect(received.headers['content-type']).toBe('application/json');
      expect(received.headers['x-mailer-delivery']).toBe(received.event.id);
      expect(received.event.id).toMatch(/^evt_[0-9a-f-]{36}$/);
      expect(Date.parse(received.event.occurredAt)).not.toBeNaN();
      expect(signatureIsValid(received, SECRET)).toBe(true);
      expect(signatureIsValid(received, 'another-secret')).toBe(false);
    }
    expect(mailer.deliveries).toEqual(receiver.received.map(() => expect.objectContaining({ subscriptionId, attempt: 1, status: 204 })));
  });

  it('sends a subscription only the event types it asked for', async () => {
    const receiver = await startReceiver();
    await subscribe(receiver.url, { events: ['contact.deleted'] });
    mailer.changeContact('a@example.com', { firstName: 'A' });
    mailer.deleteContact('a@example.com');
    await mailer.idle();
    expect(receiver.received.map((r) => [r.event.type, r.event.origin])).toEqual([['contact.deleted', 'user']]);
  });

  it('emits nothing for a write that changes nothing', async () => {
    const receiver = await startReceiver();
    await subscribe(receiver.url);
    await putContact('a@example.com', { firstName: 'A', subscribed: true });
    await mailer.idle();
    expect(receiver.received).toHaveLength(1);

    await putContact('a@example.com', { firstName: 'A', subscribed: true });
    await putContact('a@example.com', {});
    mailer.changeContact('a@example.com', { subscribed: true });
    await mailer.idle();
    expect(receiver.received).toHaveLength(1);
    expect(mailer.deliveries).toHaveLength(1);
    expect(mailer.contacts.get('a@example.com')?.version).toBe(1);
  });

  it('retries a delivery the receiver answered with 500, with the same event and signature', async () => {
    const receiver = await startReceiver();
    const subscriptionId = await subscribe(receiver.url);
    receiver.answers.push(500);
    mailer.changeContact('a@example.com', { firstName: 'A' });
    await mailer.idle();

    expect(receiver.received).toHaveLength(2);
    const [first, second] = receiver.received;
    expect(second!.raw.equals(first!.raw)).toBe(true);
    expect(second!.headers['x-mailer-signature']).toBe(first!.headers['x-mailer-signature']);
    const eventId = first!.event.id;
    expect(mailer.deliveries).toEqual([
      { subscriptionId, eventId, type: 'contact.created', attempt: 1, status: 500, at: expect.any(Number) },
      { subscriptionId, eventId, type: 'contact.created', attempt: 2, status: 204, at: expect.any(Number) },
    ]);
    expect(mailer.deliveries[1]!.at - mailer.deliveries[0]!.at).toBeGreaterThanOrEqual(90);
  });

  it('gives up after 3 attempts on network errors, backing off 100 then 300 ms', async () => {
    const receiver = await startReceiver();
    receiver.server.closeAllConnections();
    await new Promise((resolve) => receiver.server.close(resolve)); // nothing listens there any more
    receivers.splice(receivers.indexOf(receiver), 1);
    await subscribe(receiver.url);

    mailer.changeContact('a@example.com', { firstName: 'A' });
    await mailer.idle();
    expect(mailer.deliveries.map((d) => [d.attempt, d.status])).toEqual([
      [1, 'network-error'],
      [2, 'network-error'],
      [3, 'network-error'],
    ]);
    const [a, b, c] = mailer.deliveries.map((d) => d.at);
    expect(b! - a!).toBeGreaterThanOrEqual(90);
    expect(c! - b!).toBeGreaterThanOrEqual(290);
  });

  it('abandons pending deliveries on close', async () => {
    const receiver = await startReceiver();
    await subscribe(receiver.url);
    receiver.answers.push(500, 500, 500);
    mailer.changeContact('a@example.com', { firstName: 'A' });
    await new Promise((resolve) => setTimeout(resolve, 50)); // the first attempt failed, a retry is waiting
    const started = Date.now();
    await mailer.close();
    expect(Date.now() - started).toBeLessThan(100);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(receiver.received).toHaveLength(1);
  });
});

describe('bad requests', () => {
  it('answers 422 naming the invalid field', async () => {
    const cases: Array<[string, string, unknown, string]> = [
      ['PUT', '/v1/contacts/a%40example.com', { firstName: 42 }, 'firstName'],
      ['PUT', '/v1/contacts/a%40example.com', { lastName: null }, 'lastName'],
      ['PUT', '/v1/contacts/a%40example.com', { subscribed: 'yes' }, 'subscribed'],
      ['PUT', '/v1/contacts/not-an-email', { firstName: 'A' }, 'email'],
      ['POST', '/v1/webhook-subscriptions', { secret: SECRET }, 'url'],
      ['POST', '/v1/webhook-subscriptions', { url: 'ftp://example.com/x', secret: SECRET }, 'url'],
      ['POST', '/v1/webhook-subscriptions', { url: 'http://example.com/x', secret: 'short' }, 'secret'],
      ['POST', '/v1/webhook-subscriptions', { url: 'http://example.com/x', secret: SECRET, events: ['contact.exploded'] }, 'events'],
      ['POST', '/v1/webhook-subscriptions', { url: 'http://example.com/x', secret: SECRET, events: 'contact.created' }, 'events'],
    ];
    for (const [method, path, body, field] of cases) {
      const answer = await api(method, path, { body });
      expect([method, path, answer.status]).toEqual([method, path, 422]);
      expect((answer.json as { error: string }).error).toContain(field);
    }
    expect(mailer.contacts.size).toBe(0);
    expect(mailer.subscriptions.size).toBe(0);
  });

  it('answers 400 to malformed JSON and 404 JSON to unknown routes and contacts', async () => {
    const malformed = await api('PUT', '/v1/contacts/a%40example.com', { raw: '{"firstName": ' });
    expect(malformed.status).toBe(400);
    expect(malformed.json).toEqual({ error: expect.stringContaining('JSON') });
    expect((await api('POST', '/v1/webhook-subscriptions', { raw: '[1, 2]' })).status).toBe(400);

    for (const [method, path] of [
      ['GET', '/v1/nothing'],
      ['GET', '/elsewhere'],
      ['PATCH', '/v1/contacts/a%40example.com'],
      ['GET', '/v1/contacts/nobody%40example.com'],
    ]) {
      const answer = await api(method!, path!);
      expect([method, path, answer.status]).toEqual([method, path, 404]);
      expect(answer.json).toEqual({ error: expect.any(String) });
    }
    expect(mailer.requests.at(-1)).toMatchObject({ method: 'GET', path: '/v1/contacts/nobody%40example.com', status: 404 });
  });
});
