/**
 * A small CRM on loopback standing in for a remote service: contacts (paged), notes, and a
 * newsletter mailing list. In memory, API-key protected. `npm start` runs it unless DEMO=0;
 * tests start their own and read what it received.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface DemoContact { id: string; email: string; firstName: string; lastName: string; updatedAt: string }
export interface DemoNote { id: string; contactId: string; text: string; createdAt: string }
export interface DemoMember { email: string; firstName: string; lastName: string; sourceId: string }

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
  /** Every request served, for tests: method, path, status. */
  requests: Array<{ method: string; path: string; status: number; at: number }>;
  /**
   * Makes the next `count` requests matching `path` answer `status` (with optional headers). With
   * `afterHandling`, the request is carried out first and only the answer is lost, as when a
   * connection drops after the remote committed.
   */
  failNext(path: RegExp, count: number, status: number, headers?: Record<string, string>, afterHandling?: boolean): void;
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

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return {};
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('body must be a JSON object');
  return parsed as Record<string, unknown>;
}

export async function startDemoCrm(options: DemoCrmOptions): Promise<DemoCrm> {
  const contacts = seedContacts(options.contacts ?? 45);
  const notes: DemoNote[] = [];
  const mailingList = new Map<string, DemoMember>();
  const requests: DemoCrm['requests'] = [];
  const apiKeys = new Set([options.apiKey]);
  const failures: Array<{ path: RegExp; remaining: number; status: number; headers: Record<string, string>; afterHandling: boolean }> = [];
  const notesByIdempotencyKey = new Map<string, DemoNote>();
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
      const contact = { id: `c_${randomUUID().slice(0, 8)}`, email, firstName: String(body.firstName ?? ''), lastName: String(body.lastName ?? ''), updatedAt: new Date().toISOString() };
      contacts.push(contact);
      return send(res, 201, contact);
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
      const created = !mailingList.has(email);
      mailingList.set(email, { email, firstName: String(body.firstName ?? ''), lastName: String(body.lastName ?? ''), sourceId: String(body.sourceId ?? '') });
      return send(res, created ? 201 : 200, { email, created });
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
    requests,
    failNext: (path, count, status, headers = {}, afterHandling = false) => failures.push({ path, remaining: count, status, headers, afterHandling }),
    acceptApiKey: (key) => apiKeys.add(key),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
