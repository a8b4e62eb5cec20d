/**
 * A small e-mail marketing tool on loopback (think Mailchimp) standing in for a remote service:
 * contacts keyed by e-mail with a subscribed flag, and webhook subscriptions that receive a signed
 * event for every change of a contact, made through the API or by a user in the tool's UI
 * (`changeContact`, `deleteContact`). In memory, bearer-token protected. The sibling of
 * `crm-server.ts`: tests start their own and read what it received and delivered.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { createServer, request as httpRequest, type ClientRequest, type IncomingMessage, type OutgoingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';

export const MAILER_EVENT_TYPES = ['contact.created', 'contact.updated', 'contact.deleted'] as const;
export type MailerEventType = (typeof MAILER_EVENT_TYPES)[number];

/** What a caller may set on a contact. */
export interface MailerContactFields {
  firstName: string;
  lastName: string;
  subscribed: boolean;
}
export interface MailerContact extends MailerContactFields {
  /** Lower-cased; the contact's key. */
  email: string;
  updatedAt: string;
  /** 1 when created, + 1 on every real change. */
  version: number;
  /** The `X-Change-Origin` of the last change, else `'api'` (API) or `'user'` (the UI). */
  changedBy: string;
}
export interface MailerSubscription {
  id: string;
  url: string;
  events: MailerEventType[];
  secret: string;
}
/** The JSON body of a webhook delivery. */
export interface MailerEvent {
  id: string;
  type: MailerEventType;
  occurredAt: string;
  /** Who made the change (the contact's `changedBy`; for a deletion, who deleted it). */
  origin: string;
  /** The contact after the change; for `contact.deleted`, its last state before the deletion. */
  contact: MailerContact;
}
/** One attempt to deliver one event to one subscription. */
export interface MailerDelivery {
  subscriptionId: string;
  eventId: string;
  type: MailerEventType;
  attempt: number;
  status: number | 'network-error';
  at: number;
}

export interface DemoMailerOptions {
  port?: number;
  /** Expected as `Authorization: Bearer <apiToken>` on every /v1 route. */
  apiToken: string;
}

export interface DemoMailer {
  url: string;
  contacts: Map<string, MailerContact>;
  subscriptions: Map<string, MailerSubscription>;
  /** Every delivery attempt, in the order they finished. */
  deliveries: MailerDelivery[];
  /** Every request served, for tests: method, path, status. */
  requests: Array<{ method: string; path: string; status: number; at: number }>;
  /** A user adding or editing a contact in the tool's UI (origin defaults to 'user'); emits an event if anything changed. */
  changeContact(email: string, fields: Partial<MailerContactFields>, origin?: string): MailerContact;
  /** A user deleting a contact in the tool's UI (origin defaults to 'user'). */
  deleteContact(email: string, origin?: string): void;
  /** Resolves when no delivery is in flight (retries included). */
  idle(): Promise<void>;
  /** Stops the server and abandons pending deliveries (retries and attempts in flight). Safe to call twice. */
  close(): Promise<void>;
}

/** Delays before the 2nd and 3rd attempt of a delivery: at most 3 attempts in all. */
const RETRY_DELAYS_MS = [100, 300];
const ATTEMPT_TIMEOUT_MS = 5_000;
const MAX_BODY_BYTES = 1_000_000;
const MAX_IDEMPOTENCY_KEY_LENGTH = 255;
const BLANK: MailerContactFields = { firstName: '', lastName: '', subscribed: false };

/** An answer other than success, thrown from anywhere inside a route. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Who made a change, as the caller says (`X-Change-Origin`): lets a two-way sync skip its own echoes. */
function origin(req: IncomingMessage): string {
  const value = req.headers['x-change-origin'];
  return typeof value === 'string' && value.length > 0 && value.length <= 64 ? value : 'api';
}

function idempotencyKey(req: IncomingMessage): string | undefined {
  const value = req.headers['idempotency-key'];
  if (typeof value !== 'string' || value === '') return undefined;
  if (value.length > MAX_IDEMPOTENCY_KEY_LENGTH) throw new HttpError(400, `Idempotency-Key must be at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`);
  return value;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `body must be at most ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new HttpError(400, `malformed JSON: ${(err as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new HttpError(400, 'body must be a JSON object');
  return parsed as Record<string, unknown>;
}

function decodePath(pathname: string): string[] {
  try {
    return pathname.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    throw new HttpError(400, 'malformed percent-encoding in path');
  }
}

function normalizeEmail(email: string): string {
  const normalized = email.trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+$/.test(normalized)) throw new HttpError(422, 'email must be an e-mail address');
  return normalized;
}

function positiveInteger(url: URL, name: string, fallback: number): number {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new HttpError(400, `${name} must be a positive integer`);
  return value;
}

function optional<T>(body: Record<string, unknown>, name: string, check: (value: unknown) => value is T, expected: string): T | undefined {
  const value = body[name];
  if (value === undefined) return undefined;
  if (!check(value)) throw new HttpError(422, `${name} must be ${expected}`);
  return value;
}
const isString = (value: unknown): value is string => typeof value === 'string';
const isBoolean = (value: unknown): value is boolean => typeof value === 'boolean';
const isEventType = (value: unknown): value is MailerEventType => typeof value === 'string' && (MAILER_EVENT_TYPES as readonly string[]).includes(value);

function contactFields(body: Record<string, unknown>): Partial<MailerContactFields> {
  return {
    firstName: optional(body, 'firstName', isString, 'a string'),
    lastName: optional(body, 'lastName', isString, 'a string'),
    subscribed: optional(body, 'subscribed', isBoolean, 'a boolean'),
  };
}

function subscriptionFields(body: Record<string, unknown>): Omit<MailerSubscription, 'id'> {
  const { url, secret, events = [...MAILER_EVENT_TYPES] } = body;
  if (typeof url !== 'string' || !isHttpUrl(url)) throw new HttpError(422, 'url must be an http or https URL');
  if (typeof secret !== 'string' || secret.length < 8) throw new HttpError(422, 'secret must be a string of at least 8 characters');
  if (!Array.isArray(events) || events.length === 0 || !events.every(isEventType)) {
    throw new HttpError(422, `events must be a non-empty array of ${MAILER_EVENT_TYPES.join(', ')}`);
  }
  return { url, secret, events: [...new Set(events)] };
}

function isHttpUrl(text: string): boolean {
  try {
    const { protocol } = new URL(text);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

/** A subscription as the API shows it: never with its secret. */
function publicSubscription({ id, url, events }: MailerSubscription): Omit<MailerSubscription, 'secret'> {
  return { id, url, events };
}

function merge(base: MailerContactFields, fields: Partial<MailerContactFields>): MailerContactFields {
  return { firstName: fields.firstName ?? base.firstName, lastName: fields.lastName ?? base.lastName, subscribed: fields.subscribed ?? base.subscribed };
}

function sameFields(a: MailerContactFields, b: MailerContactFields): boolean {
  return a.firstName === b.firstName && a.lastName === b.lastName && a.subscribed === b.subscribed;
}

function signature(secret: string, body: Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * Sends webhook deliveries in the background: one POST per attempt, at most 3 attempts, retried on
 * a network error or a non-2xx answer. Nothing is ordered per subscription. Keeps track of what is
 * in flight, so tests can wait for quiet and `close` can abandon the rest.
 */
class Courier {
  readonly log: MailerDelivery[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly cancels = new Set<() => void>();
  private closed = false;

  constructor(private readonly stillSubscribed: (subscriptionId: string) => boolean) {}

  send(subscription: MailerSubscription, event: MailerEvent, body: Buffer): void {
    if (this.closed) return;
    const delivery = this.deliver(subscription, event, body).finally(() => this.inFlight.delete(delivery));
    this.inFlight.add(delivery);
  }

  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const cancel of this.cancels) cancel();
    await this.idle();
  }

  private async deliver(subscription: MailerSubscription, event: MailerEvent, body: Buffer): Promise<void> {
    const headers: OutgoingHttpHeaders = {
      'content-type': 'application/json',
      'content-length': body.length,
      'x-mailer-delivery': event.id,
      'x-mailer-signature': signature(subscription.secret, body),
    };
    for (let attempt = 1; ; attempt++) {
      const status = await this.post(subscription.url, headers, body);
      if (this.closed) return;
      this.log.push({ subscriptionId: subscription.id, eventId: event.id, type: event.type, attempt, status, at: Date.now() });
      if (typeof status === 'number' && status >= 200 && status < 300) return;
      const delay = RETRY_DELAYS_MS[attempt - 1];
      // A subscription deleted in the meantime gets no more attempts.
      if (delay === undefined || !this.stillSubscribed(subscription.id)) return;
      await this.wait(delay);
      if (this.closed || !this.stillSubscribed(subscription.id)) return;
    }
  }

  /** One attempt: the answer's status, or 'network-error' (refused, reset, timed out). Never rejects. */
  private post(target: string, headers: OutgoingHttpHeaders, body: Buffer): Promise<number | 'network-error'> {
    return new Promise((resolve) => {
      let req: ClientRequest | undefined;
      let settled = false;
      const finish = (status: number | 'network-error'): void => {
        if (settled) return;
        settled = true;
        this.cancels.delete(cancel);
        resolve(status);
      };
      const cancel = (): void => {
        if (req) req.destroy();
        finish('network-error');
      };
      this.cancels.add(cancel);
      try {
        const url = new URL(target);
        const request: typeof httpRequest = url.protocol === 'https:' ? httpsRequest : httpRequest;
        req = request(url, { method: 'POST', headers, agent: false, timeout: ATTEMPT_TIMEOUT_MS }, (res) => {
          res.resume();
          finish(res.statusCode ?? 0);
        });
        req.on('timeout', () => req?.destroy(new Error('timed out')));
        req.on('error', () => finish('network-error'));
        req.on('close', () => finish('network-error'));
        req.end(body);
      } catch {
        finish('network-error');
      }
    });
  }

  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const cancel = (): void => {
        clearTimeout(timer);
        this.cancels.delete(cancel);
        resolve();
      };
      const timer = setTimeout(cancel, ms);
      this.cancels.add(cancel);
    });
  }
}

export async function startDemoMailer(options: DemoMailerOptions): Promise<DemoMailer> {
  const contacts = new Map<string, MailerContact>();
  const subscriptions = new Map<string, MailerSubscription>();
  const subscriptionsByIdempotencyKey = new Map<string, string>();
  const requests: DemoMailer['requests'] = [];
  const courier = new Courier((id) => subscriptions.has(id));
  /** First answers by Idempotency-Key, with the request they answered (`PUT <email>`). */
  const answersByIdempotencyKey = new Map<string, { request: string; status: number; body: MailerContact }>();
  let lastTimestamp = '';

  /** Never earlier than the last one handed out, so time order is change order. */
  const now = (): string => {
    const current = new Date().toISOString();
    lastTimestamp = current > lastTimestamp ? current : lastTimestamp;
    return lastTimestamp;
  };

  const publish = (type: MailerEventType, contact: MailerContact, changedBy: string, occurredAt: string): void => {
    const event: MailerEvent = { id: `evt_${randomUUID()}`, type, occurredAt, origin: changedBy, contact: { ...contact } };
    // Serialized once: the signature covers exactly these bytes.
    const body = Buffer.from(JSON.stringify(event), 'utf8');
    for (const subscription of subscriptions.values()) {
      if (subscription.events.includes(type)) courier.send(subscription, event, body);
    }
  };

  /**
   * Creates or updates a contact. A write that changes no field is not a change: no new version, no
   * new updatedAt, no event. That is this demo's choice; real tools differ (some bump and notify on
   * every write), so the engine must not rely on either behaviour, e.g. to detect its own echoes.
   */
  const upsert = (email: string, fields: Partial<MailerContactFields>, changedBy: string): { contact: MailerContact; created: boolean } => {
    const existing = contacts.get(email);
    if (!existing) {
      const updatedAt = now();
      const contact: MailerContact = { email, ...merge(BLANK, fields), updatedAt, version: 1, changedBy };
      contacts.set(email, contact);
      publish('contact.created', contact, changedBy, updatedAt);
      return { contact, created: true };
    }
    const next = merge(existing, fields);
    if (sameFields(next, existing)) return { contact: existing, created: false };
    const updatedAt = now();
    Object.assign(existing, next, { updatedAt, version: existing.version + 1, changedBy });
    publish('contact.updated', existing, changedBy, updatedAt);
    return { contact: existing, created: false };
  };

  const remove = (email: string, changedBy: string): boolean => {
    const contact = contacts.get(email);
    if (!contact) return false;
    contacts.delete(email);
    publish('contact.deleted', contact, changedBy, now());
    return true;
  };

  const send = (res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void => {
    res.writeHead(status, { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers });
    res.end(body === undefined ? undefined : JSON.stringify(body));
  };

  const putContact = async (req: IncomingMessage, res: ServerResponse, email: string): Promise<void> => {
    const body = await readJson(req);
    const key = idempotencyKey(req);
    // Like Stripe: a repeated Idempotency-Key returns the first answer and applies nothing.
    const seen = key === undefined ? undefined : answersByIdempotencyKey.get(key);
    if (seen) {
      if (seen.request !== `PUT ${email}`) throw new HttpError(422, 'Idempotency-Key was already used for another request');
      return send(res, seen.status, seen.body, { 'idempotent-replayed': 'true' });
    }
    const { contact, created } = upsert(email, contactFields(body), origin(req));
    const answer = { request: `PUT ${email}`, status: created ? 201 : 200, body: { ...contact } };
    if (key !== undefined) answersByIdempotencyKey.set(key, answer);
    return send(res, answer.status, answer.body);
  };

  const route = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const parts = decodePath(url.pathname);
    if (parts[0] !== 'v1') throw new HttpError(404, `no route ${req.method} ${url.pathname}`);
    if (req.headers.authorization !== `Bearer ${options.apiToken}`) {
      return send(res, 401, { error: 'missing or wrong bearer token' }, { 'www-authenticate': 'Bearer' });
    }
    const [, collection, id] = parts;

    if (collection === 'contacts' && parts.length === 2 && req.method === 'GET') {
      const page = positiveInteger(url, 'page', 1);
      const perPage = Math.min(100, positiveInteger(url, 'perPage', 50));
      const all = [...contacts.values()];
      return send(res, 200, { items: all.slice((page - 1) * perPage, page * perPage), page, hasMore: page * perPage < all.length });
    }
    if (collection === 'contacts' && id !== undefined && parts.length === 3) {
      const email = normalizeEmail(id);
      if (req.method === 'GET') {
        const contact = contacts.get(email);
        return contact ? send(res, 200, contact) : send(res, 404, { error: `no contact ${email}` });
      }
      if (req.method === 'PUT') return putContact(req, res, email);
      if (req.method === 'DELETE') return remove(email, origin(req)) ? send(res, 204) : send(res, 404, { error: `no contact ${email}` });
    }
    if (collection === 'webhook-subscriptions' && parts.length === 2) {
      if (req.method === 'GET') return send(res, 200, { items: [...subscriptions.values()].map(publicSubscription) });
      if (req.method === 'POST') {
        // A repeated Idempotency-Key answers the subscription it created, and creates no second one.
        const key = req.headers['idempotency-key'];
        const earlier = typeof key === 'string' ? subscriptions.get(subscriptionsByIdempotencyKey.get(key) ?? '') : undefined;
        if (earlier) return send(res, 201, publicSubscription(earlier));
        const subscription: MailerSubscription = { id: `sub_${randomUUID()}`, ...subscriptionFields(await readJson(req)) };
        subscriptions.set(subscription.id, subscription);
        if (typeof key === 'string') subscriptionsByIdempotencyKey.set(key, subscription.id);
        return send(res, 201, publicSubscription(subscription));
      }
    }
    if (collection === 'webhook-subscriptions' && id !== undefined && parts.length === 3 && req.method === 'DELETE') {
      return subscriptions.delete(id) ? send(res, 204) : send(res, 404, { error: `no webhook subscription ${id}` });
    }
    throw new HttpError(404, `no route ${req.method} ${url.pathname}`);
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://mailer.invalid');
    res.on('finish', () => requests.push({ method: req.method ?? '', path: url.pathname, status: res.statusCode, at: Date.now() }));
    route(req, res, url).catch((err: unknown) => {
      if (res.headersSent) return void res.destroy();
      if (err instanceof HttpError) return send(res, err.status, { error: err.message });
      send(res, 500, { error: `internal error: ${(err as Error).message}` });
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  const stop = async (): Promise<void> => {
    await courier.close();
    await new Promise<void>((resolve, reject) => {
      server.closeAllConnections();
      server.close((err) => (err ? reject(err) : resolve()));
    });
  };

  return {
    url: `http://127.0.0.1:${port}`,
    contacts,
    subscriptions,
    deliveries: courier.log,
    requests,
    changeContact: (email, fields, changedBy = 'user') => upsert(normalizeEmail(email), fields, changedBy).contact,
    deleteContact: (email, changedBy = 'user') => {
      const key = email.trim().toLowerCase();
      if (!remove(key, changedBy)) throw new Error(`no contact ${key}`);
    },
    idle: () => courier.idle(),
    close: () => (closing ??= stop()),
  };
}
