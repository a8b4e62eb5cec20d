/**
 * A small CRM on loopback standing in for a remote service: contacts (paged, and as a change feed
 * with tombstones for deletions), notes, and a newsletter mailing list. In memory, API-key
 * protected. `npm start` runs it unless DEMO=0; tests start their own and read what it received.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface DemoContact {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  updatedAt: string;
  changedBy?: string;
}
/** One entry of the change feed: the contact as it is now, or its tombstone. */
export interface DemoContactChange extends DemoContact {
  deleted: boolean;
}
export interface DemoNote {
  id: string;
  contactId: string;
  text: string;
  createdAt: string;
}
export interface DemoMember {
  email: string;
  firstName: string;
  lastName: string;
  sourceId: string;
}

export interface DemoCrmOptions {
  port?: number;
  apiKey: string;
  /** How many contacts to seed. */
  contacts?: number;
}

export interface DemoCrm {
  url: string;
  contacts: DemoContact[];
  notes: DemoNote[];
  mailingList: Map<string, DemoMember>;
  /** How many writes the mailing list applied per e-mail (a repeated Idempotency-Key applies nothing). */
  mailingListWrites: Map<string, number>;
  /** Writes answered from an Idempotency-Key seen before (a retry whose first attempt did apply). */
  replayedWrites: () => number;
  /** Contacts deleted so far (their tombstones are in the change feed). */
  deleted: DemoContact[];
  /** Every request served, for tests: method, path, status. */
  requests: Array<{ method: string; path: string; status: number; at: number }>;
  /**
   * Makes the next `count` requests matching `path` answer `status` (with optional headers). With
   * `afterHandling`, the request is carried out first and only the answer is lost, as when a
   * connection drops after the remote committed.
   */
  failNext(path: RegExp, count: number, status: number, headers?: Record<string, string>, afterHandling?: boolean): void;
  /** A user editing a contact in the CRM's UI (or another integration): appended to the change feed. */
  changeContact(id: string, fields: Partial<Pick<DemoContact, 'email' | 'firstName' | 'lastName'>>, origin?: string): DemoContact;
  /** Adds contacts as if created by users; returns them. */
  addContacts(count: number): DemoContact[];
  /** Deletes a contact, leaving a tombstone in the change feed. */
  deleteContact(id: string): void;
  /** Answers every request matching `path` `ms` later (a slow remote), until set to 0. */
  slowDown(path: RegExp, ms: number): void;
  /** Forgets every failure still pending from failNext. */
  clearFailures(): void;
  /** Accepts one more API key (another customer's account). */
  acceptApiKey(key: string): void;
  close(): Promise<void>;
}

const FIRST = ['Ada', 'Grace', 'Alan', 'Barbara', 'Edsger', 'Frances', 'Donald', 'Margaret', 'Ken', 'Radia'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Liskov', 'Dijkstra', 'Allen', 'Knuth', 'Hamilton', 'Thompson', 'Perlman'];

export function seedContacts(count: number): DemoContact[] {
  return Array.from({ length: count }, (_, i) => {
    const firstName = FIRST[i % FIRST.length]!;
    const lastName = LAST[Math.floor(i / FIRST.length) % LAST.length]!;
    return { id: `c_${i + 1}`, email: `${firstName}.${lastName}.${i + 1}@example.com`.toLowerCase(), firstName, lastName, updatedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString() };
  });
}

/** Who made a change, as the caller says (`X-Change-Origin`): lets a two-way sync skip its own echoes. */
function origin(req: IncomingMessage): string | undefined {
  const value = req.headers['x-change-origin'];
  return typeof value === 'string' && value.length <= 64 ? value : undefined;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return {};
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('body must be a JSON object');
  return parsed as Record<string, unknown>;
}

/**
 * The change feed: every create, update and delete appends an entry; entry n has sequence number
 * n + 1, which is the feed's cursor (a "sync token" in the remote's terms). An entry superseded by
 * a later change of the same contact is skipped, so a reader sees each contact's latest state once.
 */
class ChangeFeed {
  private readonly entries: DemoContactChange[] = [];
  private readonly latest = new Map<string, number>();

  append(change: DemoContactChange): void {
    this.entries.push(change);
    this.latest.set(change.id, this.entries.length);
  }

  /** The timestamp a new change gets: never earlier than the feed's last one, so time order is feed order. */
  nextTimestamp(): string {
    const last = this.entries.at(-1)?.updatedAt;
    const now = new Date().toISOString();
    return last && last > now ? last : now;
  }

  read(options: { after: number; updatedAfter?: string; updatedBefore?: string; limit: number }): { items: DemoContactChange[]; nextCursor: string; hasMore: boolean } {
    let index = options.after;
    if (options.updatedAfter) index = Math.max(index, this.firstAfter(options.updatedAfter));
    const items: DemoContactChange[] = [];
    for (; index < this.entries.length && items.length < options.limit; index++) {
      const entry = this.entries[index]!;
      if (options.updatedBefore && entry.updatedAt > options.updatedBefore) {
        return { items, nextCursor: String(index), hasMore: false };
      }
      if (this.latest.get(entry.id) === index + 1) items.push(entry);
    }
    return { items, nextCursor: String(index), hasMore: index < this.entries.length };
  }

  /** Index of the first entry updated after `timestamp` (binary search: the feed is in time order). */
  private firstAfter(timestamp: string): number {
    let low = 0;
    let high = this.entries.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.entries[mid]!.updatedAt > timestamp) high = mid;
      else low = mid + 1;
    }
    return low;
  }
}

export async function startDemoCrm(options: DemoCrmOptions): Promise<DemoCrm> {
  const contacts = seedContacts(options.contacts ?? 45);
  const byId = new Map(contacts.map((contact) => [contact.id, contact]));
  const feed = new ChangeFeed();
  for (const contact of contacts) feed.append({ ...contact, deleted: false });
  const deleted: DemoContact[] = [];
  const notes: DemoNote[] = [];
  const mailingList = new Map<string, DemoMember>();
  const mailingListWrites = new Map<string, number>();
  const membersByIdempotencyKey = new Map<string, { email: string; created: boolean }>();
  let created = 0;
  let replayed = 0;

  const addContact = (fields: Pick<DemoContact, 'email' | 'firstName' | 'lastName'>, origin?: string): DemoContact => {
    created += 1;
    const contact: DemoContact = { id: `c_new_${created}`, ...fields, updatedAt: feed.nextTimestamp(), ...(origin ? { changedBy: origin } : {}) };
    contacts.push(contact);
    byId.set(contact.id, contact);
    feed.append({ ...contact, deleted: false });
    return contact;
  };
  const changeContact = (id: string, fields: Partial<Pick<DemoContact, 'email' | 'firstName' | 'lastName'>>, origin?: string): DemoContact => {
    const contact = byId.get(id);
    if (!contact) throw new Error(`no contact ${id}`);
    Object.assign(contact, fields, { updatedAt: feed.nextTimestamp(), changedBy: origin ?? 'user' });
    feed.append({ ...contact, deleted: false });
    return contact;
  };
  const deleteContact = (id: string): void => {
    const contact = byId.get(id);
    if (!contact) throw new Error(`no contact ${id}`);
    byId.delete(id);
    contacts.splice(contacts.indexOf(contact), 1);
    const tombstone = { ...contact, updatedAt: feed.nextTimestamp() };
    deleted.push(tombstone);
    feed.append({ ...tombstone, deleted: true });
  };
  const requests: DemoCrm['requests'] = [];
  const apiKeys = new Set([options.apiKey]);
  const failures: Array<{ path: RegExp; remaining: number; status: number; headers: Record<string, string>; afterHandling: boolean }> = [];
  const notesByIdempotencyKey = new Map<string, DemoNote>();
  const latencies: Array<{ path: RegExp; ms: number }> = [];
  const answerOverride = new WeakMap<ServerResponse, { status: number; headers: Record<string, string> }>();

  const send = (res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void => {
    const override = answerOverride.get(res);
    if (override) {
      res.writeHead(override.status, { 'content-type': 'application/json', ...override.headers });
      res.end(JSON.stringify({ error: 'injected failure after handling' }));
      return;
    }
    res.writeHead(status, { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers });
    res.end(body === undefined ? undefined : JSON.stringify(body));
  };

  const route = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const latency = latencies.find((entry) => entry.path.test(url.pathname))?.ms ?? 0;
    if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
    const failure = failures.find((f) => f.remaining > 0 && f.path.test(url.pathname));
    if (failure) {
      failure.remaining -= 1;
      if (failure.afterHandling) answerOverride.set(res, { status: failure.status, headers: failure.headers });
      else return send(res, failure.status, { error: 'injected failure' }, failure.headers);
    }
    if (!apiKeys.has(String(req.headers['x-api-key']))) return send(res, 401, { error: 'missing or wrong X-API-Key' });

    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (req.method === 'GET' && url.pathname === '/api/contacts') {
      const email = url.searchParams.get('email');
      const page = Math.max(1, Number(url.searchParams.get('page') ?? 1));
      const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('perPage') ?? 50)));
      const matching = email ? contacts.filter((c) => c.email === email.toLowerCase()) : contacts;
      const items = matching.slice((page - 1) * perPage, page * perPage);
      return send(res, 200, { items, page, hasMore: page * perPage < matching.length });
    }
    if (req.method === 'POST' && url.pathname === '/api/contacts') {
      const body = await readJson(req);
      const email = String(body.email ?? '').toLowerCase();
      if (!email.includes('@')) return send(res, 422, { error: 'email is required' });
      // Idempotent by e-mail, like many CRMs: a retried create returns the same contact.
      const existing = contacts.find((c) => c.email === email);
      if (existing) return send(res, 200, existing);
      return send(res, 201, addContact({ email, firstName: String(body.firstName ?? ''), lastName: String(body.lastName ?? '') }, origin(req)));
    }
    if (req.method === 'GET' && url.pathname === '/api/contacts/changes') {
      const after = Number(url.searchParams.get('after') ?? 0);
      const limit = Math.min(500, Math.max(1, Number(url.searchParams.get('limit') ?? 100)));
      if (!Number.isInteger(after) || after < 0) return send(res, 400, { error: 'after must be a cursor this feed returned' });
      const updatedAfter = url.searchParams.get('updatedAfter') ?? undefined;
      const updatedBefore = url.searchParams.get('updatedBefore') ?? undefined;
      return send(res, 200, feed.read({ after, updatedAfter, updatedBefore, limit }));
    }
    if (parts[0] === 'api' && parts[1] === 'contacts' && parts.length === 3 && (req.method === 'PATCH' || req.method === 'DELETE')) {
      const contact = byId.get(parts[2]!);
      if (!contact) return send(res, 404, { error: `no contact ${parts[2]}` });
      if (req.method === 'DELETE') {
        deleteContact(contact.id);
        return send(res, 204);
      }
      const body = await readJson(req);
      const fields = Object.fromEntries(['email', 'firstName', 'lastName'].filter((key) => typeof body[key] === 'string').map((key) => [key, body[key] as string]));
      // Only a real change is a change: an unchanged PATCH does not appear in the feed.
      if (Object.entries(fields).every(([key, value]) => contact[key as keyof DemoContact] === value)) return send(res, 200, contact);
      return send(res, 200, changeContact(contact.id, fields, origin(req) ?? 'api'));
    }
    if (req.method === 'POST' && parts[0] === 'api' && parts[1] === 'contacts' && parts[3] === 'notes' && parts.length === 4) {
      const contactId = parts[2]!;
      if (!contacts.some((c) => c.id === contactId)) return send(res, 404, { error: `no contact ${contactId}` });
      const body = await readJson(req);
      if (typeof body.text !== 'string' || !body.text) return send(res, 422, { error: 'text is required' });
      // Like Stripe and others: a repeated Idempotency-Key returns the first result, applies nothing.
      const key = req.headers['idempotency-key'];
      const seen = typeof key === 'string' ? notesByIdempotencyKey.get(key) : undefined;
      if (seen) return send(res, 201, seen);
      const note = { id: `n_${notes.length + 1}`, contactId, text: body.text, createdAt: new Date().toISOString() };
      notes.push(note);
      if (typeof key === 'string') notesByIdempotencyKey.set(key, note);
      return send(res, 201, note);
    }
    if (req.method === 'PUT' && parts[0] === 'api' && parts[1] === 'mailing-list' && parts[2] === 'members' && parts.length === 4) {
      const email = parts[3]!.toLowerCase();
      const body = await readJson(req);
      const key = req.headers['idempotency-key'];
      const seen = typeof key === 'string' ? membersByIdempotencyKey.get(key) : undefined;
      if (seen) {
        replayed += 1;
        return send(res, seen.created ? 201 : 200, seen);
      }
      const isNew = !mailingList.has(email);
      mailingList.set(email, { email, firstName: String(body.firstName ?? ''), lastName: String(body.lastName ?? ''), sourceId: String(body.sourceId ?? '') });
      mailingListWrites.set(email, (mailingListWrites.get(email) ?? 0) + 1);
      const answer = { email, created: isNew };
      if (typeof key === 'string') membersByIdempotencyKey.set(key, answer);
      return send(res, isNew ? 201 : 200, answer);
    }
    if (req.method === 'DELETE' && parts[0] === 'api' && parts[1] === 'mailing-list' && parts[2] === 'members' && parts.length === 4) {
      const existed = mailingList.delete(parts[3]!.toLowerCase());
      return send(res, existed ? 204 : 404, existed ? undefined : { error: 'not on the list' });
    }
    return send(res, 404, { error: `no route ${req.method} ${url.pathname}` });
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://demo.invalid');
    res.on('finish', () => requests.push({ method: req.method ?? '', path: url.pathname, status: res.statusCode, at: Date.now() }));
    route(req, res, url).catch((err: Error) => send(res, 400, { error: err.message }));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    contacts,
    notes,
    mailingList,
    mailingListWrites,
    replayedWrites: () => replayed,
    deleted,
    requests,
    changeContact,
    deleteContact,
    addContacts: (count) => seedContacts(count).map((seed) => addContact({ email: seed.email.replace('@', `+${created + 1}@`), firstName: seed.firstName, lastName: seed.lastName })),
    failNext: (path, count, status, headers = {}, afterHandling = false) => failures.push({ path, remaining: count, status, headers, afterHandling }),
    acceptApiKey: (key) => apiKeys.add(key),
    clearFailures: () => void failures.splice(0),
    slowDown: (path, ms) => {
      const existing = latencies.findIndex((entry) => entry.path.source === path.source);
      if (existing >= 0) latencies.splice(existing, 1);
      if (ms > 0) latencies.unshift({ path, ms });
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
