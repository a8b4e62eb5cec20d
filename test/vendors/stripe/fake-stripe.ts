/**
 * A loopback Stripe for the tests: the endpoints the Stripe connectors use, in Stripe's documented
 * shapes (https://docs.stripe.com/api): list objects `{ object: 'list', data, has_more, url }`
 * paged by `starting_after`, error bodies `{ error: { type, code, message } }`, a `Request-Id` on
 * every answer, and `Idempotency-Key` replays (`Idempotent-Replayed: true`) or refusals
 * (`idempotency_error`) as Stripe gives them.
 *
 * It checks each request as Stripe would: a bearer secret or restricted key, the Stripe-Version
 * it was started with, form-encoded bodies (brackets, parsed with qs as Stripe and Rails read
 * them), no body on GET or DELETE, and only the parameters each endpoint documents (Stripe answers
 * an unknown one with `parameter_unknown`). A request Stripe would refuse is refused here, and
 * kept in `refused`, so a test can fail on it.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse } from 'qs';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, unknown>;
  headers: IncomingMessage['headers'];
  rawBody: string;
  params: Record<string, unknown>;
}

export interface InjectedAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

type Obj = Record<string, unknown> & { id: string; created: number };

export interface FakeStripe {
  url: string;
  apiVersion: string;
  requests: RecordedRequest[];
  /** Requests refused for breaking Stripe's rules (bad auth, version, encoding, parameters). */
  refused: Array<{ request: RecordedRequest; reason: string }>;
  customers: Map<string, Obj>;
  invoices: Map<string, Obj>;
  paymentIntents: Map<string, Obj>;
  webhookEndpoints: Map<string, Obj>;
  /** The next `count` requests to `method path` get this answer instead. */
  failNext(method: string, path: string, answer: InjectedAnswer, count?: number): void;
  close(): Promise<void>;
}

const id = (prefix: string) => `${prefix}${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x')}`;
const LIST_PARAMS = ['limit', 'starting_after', 'ending_before', 'expand'];
const ALLOWED: Record<string, string[]> = {
  'GET /v1/customers': [...LIST_PARAMS, 'email', 'created', 'test_clock'],
  'POST /v1/customers': ['email', 'name', 'description', 'metadata', 'phone', 'address', 'shipping', 'payment_method', 'invoice_settings', 'preferred_locales', 'tax_exempt', 'expand'],
  'GET /v1/customers/:id': ['expand'],
  'GET /v1/invoices': [...LIST_PARAMS, 'customer', 'status', 'subscription', 'collection_method', 'created', 'due_date'],
  'GET /v1/invoices/:id': ['expand'],
  'GET /v1/payment_intents': [...LIST_PARAMS, 'customer', 'created'],
  'POST /v1/webhook_endpoints': ['url', 'enabled_events', 'description', 'api_version', 'metadata', 'connect', 'expand'],
  'DELETE /v1/webhook_endpoints/:id': [],
};

export function stripeError(status: number, type: string, message: string, extra: Record<string, unknown> = {}): InjectedAnswer {
  return { status, body: { error: { type, message, ...extra } } };
}

export async function startFakeStripe(options: { apiVersion: string }): Promise<FakeStripe> {
  const now = () => Math.floor(Date.now() / 1000);
  const customers = new Map<string, Obj>();
  const invoices = new Map<string, Obj>();
  const paymentIntents = new Map<string, Obj>();
  const webhookEndpoints = new Map<string, Obj>();
  const requests: RecordedRequest[] = [];
  const refused: FakeStripe['refused'] = [];
  const injected: Array<{ key: string; answer: InjectedAnswer; left: number }> = [];
  const idempotent = new Map<string, { fingerprint: string; status: number; body: unknown }>();

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', 'request-id': id('req_'), 'stripe-version': options.apiVersion, ...headers });
    res.end(JSON.stringify(body));
  };

  function list(map: Map<string, Obj>, url: string, params: Record<string, unknown>, filter: (o: Obj) => boolean = () => true) {
    const limit = params.limit === undefined ? 10 : Number(params.limit);
    // Newest first, as Stripe lists; ties broken by insertion order (later first).
    const all = [...map.values()].reverse().filter(filter);
    const after = params.starting_after as string | undefined;
    const start = after ? all.findIndex((o) => o.id === after) + 1 : 0;
    if (after && start === 0) return stripeError(400, 'invalid_request_error', `No such object: '${after}'`, { code: 'resource_missing', param: 'starting_after' });
    const data = all.slice(start, start + limit);
    return { status: 200, body: { object: 'list', data, has_more: start + limit < all.length, url } };
  }

  function check(req: RecordedRequest, route: string): InjectedAnswer | undefined {
    const refuse = (answer: InjectedAnswer, reason: string) => (refused.push({ request: req, reason }), answer);
    const auth = /^Bearer ((sk|rk)_(test|live)_\S+)$/.exec(req.headers.authorization ?? '');
    if (!auth) return refuse(stripeError(401, 'invalid_request_error', 'You did not provide an API key, or it is not a secret or restricted key.'), 'bearer key');
    const version = req.headers['stripe-version'];
    if (version !== options.apiVersion) return refuse(stripeError(400, 'invalid_request_error', `Invalid Stripe API version: ${String(version)}`), 'Stripe-Version');
    if (req.method === 'POST') {
      const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim();
      if (req.rawBody && type !== 'application/x-www-form-urlencoded') return refuse(stripeError(400, 'invalid_request_error', `Invalid request: unsupported Content-Type ${type}.`), 'content type');
    } else if (req.rawBody) {
      return refuse(stripeError(400, 'invalid_request_error', `Requests with a ${req.method} method must not have a body.`), 'body on read');
    }
    const allowed = ALLOWED[route];
    if (!allowed) return refuse(stripeError(404, 'invalid_request_error', `Unrecognized request URL (${req.method}: ${req.path}).`), 'route');
    for (const name of Object.keys(req.params)) {
      if (!allowed.includes(name)) return refuse(stripeError(400, 'invalid_request_error', `Received unknown parameter: ${name}`, { code: 'parameter_unknown', param: name }), `parameter ${name}`);
    }
    if (req.params.limit !== undefined && !/^(100|[1-9][0-9]?)$/.test(String(req.params.limit))) {
      return refuse(stripeError(400, 'invalid_request_error', 'Invalid integer: limit must be between 1 and 100', { code: 'parameter_invalid_integer', param: 'limit' }), 'limit');
    }
    return undefined;
  }

  function handle(req: RecordedRequest, route: string, pathId: string | undefined): InjectedAnswer {
    const p = req.params;
    const missing = (kind: string) => stripeError(404, 'invalid_request_error', `No such ${kind}: '${pathId}'`, { code: 'resource_missing', param: 'id' });
    switch (route) {
      case 'GET /v1/customers':
        return list(customers, '/v1/customers', p, (c) => p.email === undefined || c.email === p.email);
      case 'POST /v1/customers': {
        const customer: Obj = {
          id: id('cus_'),
          object: 'customer',
          address: null,
          balance: 0,
          created: now(),
          currency: null,
          default_source: null,
          delinquent: false,
          description: p.description ?? null,
          discount: null,
          email: p.email ?? null,
          invoice_prefix: 'A1B2C3D4',
          invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
          livemode: false,
          metadata: p.metadata ?? {},
          name: p.name ?? null,
          phone: null,
          preferred_locales: [],
          shipping: null,
          tax_exempt: 'none',
          test_clock: null,
        };
        customers.set(customer.id, customer);
        return { status: 200, body: customer };
      }
      case 'GET /v1/customers/:id':
        return customers.has(pathId!) ? { status: 200, body: customers.get(pathId!) } : missing('customer');
      case 'GET /v1/invoices':
        return list(invoices, '/v1/invoices', p, (i) => (p.customer === undefined || i.customer === p.customer) && (p.status === undefined || i.status === p.status));
      case 'GET /v1/invoices/:id':
        return invoices.has(pathId!) ? { status: 200, body: invoices.get(pathId!) } : missing('invoice');
      case 'GET /v1/payment_intents':
        return list(paymentIntents, '/v1/payment_intents', p, (i) => p.customer === undefined || i.customer === p.customer);
      case 'POST /v1/webhook_endpoints': {
        if (typeof p.url !== 'string') return stripeError(400, 'invalid_request_error', 'Missing required param: url.', { code: 'parameter_missing', param: 'url' });
        if (!Array.isArray(p.enabled_events)) return stripeError(400, 'invalid_request_error', 'Missing required param: enabled_events.', { code: 'parameter_missing', param: 'enabled_events' });
        const endpoint: Obj = {
          id: id('we_'),
          object: 'webhook_endpoint',
          api_version: p.api_version ?? null,
          application: null,
          created: now(),
          description: p.description ?? null,
          enabled_events: p.enabled_events,
          livemode: false,
          metadata: p.metadata ?? {},
          status: 'enabled',
          url: p.url,
        };
        webhookEndpoints.set(endpoint.id, endpoint);
        // The secret is answered once, on creation, and never again.
        return { status: 200, body: { ...endpoint, secret: `whsec_${randomBytes(24).toString('hex')}` } };
      }
      case 'DELETE /v1/webhook_endpoints/:id':
        if (!webhookEndpoints.delete(pathId!)) return missing('webhook endpoint');
        return { status: 200, body: { id: pathId, object: 'webhook_endpoint', deleted: true } };
    }
    return stripeError(404, 'invalid_request_error', 'Unrecognized request URL');
  }

  const server: Server = createServer((incoming, res) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const url = new URL(incoming.url ?? '/', 'http://fake');
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const method = incoming.method ?? 'GET';
      const query = parse(url.search.slice(1)) as Record<string, unknown>;
      const params = method === 'POST' ? (parse(rawBody) as Record<string, unknown>) : query;
      const req: RecordedRequest = { method, path: url.pathname, query, headers: incoming.headers, rawBody, params };
      requests.push(req);
      const match = /^(\/v1\/[a-z_]+)\/([A-Za-z0-9_]+)$/.exec(url.pathname);
      const route = match ? `${method} ${match[1]}/:id` : `${method} ${url.pathname}`;
      const pathId = match?.[2];
      const trap = injected.find((entry) => entry.key === `${method} ${url.pathname}` && entry.left > 0);
      if (trap) {
        trap.left -= 1;
        return send(res, trap.answer.status, trap.answer.body, trap.answer.headers);
      }
      const refusal = check(req, route);
      if (refusal) return send(res, refusal.status, refusal.body);
      const key = incoming.headers['idempotency-key'];
      if (method === 'POST' && typeof key === 'string') {
        const fingerprint = `${route}\n${rawBody}`;
        const seen = idempotent.get(key);
        if (seen && seen.fingerprint !== fingerprint) {
          const answer = stripeError(
            400,
            'idempotency_error',
            `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
          );
          return send(res, answer.status, answer.body);
        }
        if (seen) return send(res, seen.status, seen.body, { 'idempotent-replayed': 'true', 'idempotency-key': key });
        const answer = handle(req, route, pathId);
        idempotent.set(key, { fingerprint, status: answer.status, body: answer.body });
        return send(res, answer.status, answer.body, { 'idempotency-key': key });
      }
      const answer = handle(req, route, pathId);
      send(res, answer.status, answer.body, answer.headers);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    apiVersion: options.apiVersion,
    requests,
    refused,
    customers,
    invoices,
    paymentIntents,
    webhookEndpoints,
    failNext: (method, path, answer, count = 1) => void injected.push({ key: `${method} ${path}`, answer, left: count }),
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}

/** An invoice as Stripe's API answers it (the fields the connectors and flows read, and Stripe's usual neighbours). */
export function exampleInvoice(overrides: Partial<Obj> & { customer: string }): Obj {
  return {
    id: id('in_'),
    object: 'invoice',
    account_country: 'US',
    amount_due: 2000,
    amount_paid: 2000,
    amount_remaining: 0,
    attempt_count: 1,
    attempted: true,
    billing_reason: 'subscription_cycle',
    collection_method: 'charge_automatically',
    created: Math.floor(Date.now() / 1000),
    currency: 'usd',
    customer_email: 'jenny.rosen@example.com',
    hosted_invoice_url: 'https://invoice.stripe.com/i/acct_1/test_1',
    livemode: false,
    metadata: {},
    number: 'A1B2C3D4-0001',
    paid_out_of_band: false,
    status: 'paid',
    total: 2000,
    ...overrides,
  };
}
