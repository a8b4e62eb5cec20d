/**
 * A loopback shop's REST Admin API for the tests: the endpoints the shopify application uses, in
 * Shopify's documented shapes (https://shopify.dev/docs/api/admin-rest):
 *
 * - `/admin/api/<version>/orders.json`, `orders/<id>.json`, `products.json`, `customers.json`,
 *   `webhooks.json`, `webhooks/<id>.json`; bodies wrapped as Shopify wraps them (`{orders: […]}`,
 *   `{order: {…}}`), 64-bit ids written as JSON numbers, exactly;
 * - cursor pages: `Link: <…?page_info=…&limit=2>; rel="previous", <…>; rel="next"`, the
 *   `page_info` carrying the first request's filters, as Shopify's does;
 * - the leaky bucket per access token (40, leaking 2 a second), reported on every answer as
 *   `X-Shopify-Shop-Api-Call-Limit: 3/40`, and 429 with `Retry-After: 2.0` when it is full;
 * - errors as `{"errors": "Not Found"}` or `{"errors": {"address": ["…"]}}`, with `X-Request-Id`;
 * - the OAuth install on the shop's host: `/admin/oauth/authorize` back to the redirect URI with
 *   `code`, `hmac`, `shop`, `state`, `timestamp`; `/admin/oauth/access_token` answering
 *   `{access_token, scope}` (no token_type, as Shopify answers).
 *
 * It checks each request as Shopify would: the API version in the path (one Shopify's library
 * ships REST resources for, and the one the fake was started with), `X-Shopify-Access-Token`,
 * only the routes and query parameters `@shopify/shopify-api`'s REST resources declare for that
 * version (rest-resources.ts), nothing but `limit` and `fields` beside `page_info` (Shopify's 400
 * `"status cannot be passed when page_info is present"`), JSON bodies on writes and none on reads.
 * A request Shopify would refuse is answered as Shopify would and kept in `violations`, so a test
 * fails on it.
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { projectRoot } from '../../../runtime/temporal-cli';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parseJsonExact } from '../../../connectors/shopify/exact-json';
import { resourceRoutes, restVersions, routePattern, type ResourceRoute } from './rest-resources';

type Json = Record<string, unknown>;
/** A stored record: ids are strings of digits (exact), written back as JSON numbers. */
export type Row = Json & { id: string };

export interface RecordedRequest {
  method: string;
  /** Below `/admin/api/<version>/`, with the query: `orders.json?limit=2&status=any`. */
  path: string;
  version: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface InjectedAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface FakeShopify {
  url: string;
  shop: string;
  apiVersion: string;
  /** The access tokens the shop accepts (a custom app's, and those the OAuth install granted). */
  tokens: Set<string>;
  oauthApp: { clientId: string; clientSecret: string };
  requests: RecordedRequest[];
  violations: string[];
  orders: Map<string, Row>;
  products: Map<string, Row>;
  customers: Map<string, Row>;
  webhooks: Map<string, Row>;
  /** Scopes the last authorize request asked for, as Shopify reads them (comma-separated). */
  lastScopes: string[];
  /** The token's bucket at `used` now, as if something else had been calling. */
  fillBucket(token: string, used: number): void;
  /** The next `count` API requests get this answer instead (the bucket still counts them). */
  failNext(answer: InjectedAnswer, count?: number): void;
  close(): Promise<void>;
}

const BUCKET_SIZE = 40;
const LEAK_PER_SECOND = 2;
/** Shopify's own sample topics; an unknown one is 422 as Shopify answers it. */
const TOPICS = new Set([
  'orders/create',
  'orders/updated',
  'orders/paid',
  'orders/cancelled',
  'orders/fulfilled',
  'orders/delete',
  'products/create',
  'products/update',
  'products/delete',
  'customers/create',
  'customers/update',
  'app/uninstalled',
]);
const ROUTES: Record<string, string> = { orders: 'order', products: 'product', customers: 'customer', webhooks: 'webhook' };

/** Shopify's documented sample payloads (its webhook reference, "Send test notification"), as raw text. */
// From the sources, not beside the compiled file: the build does not copy JSON (the history recorder runs from dist/).
export const exampleText = (name: 'orders-create' | 'products-create'): string => readFileSync(join(projectRoot, 'test', 'vendors', 'shopify', 'examples', `${name}.json`), 'utf8');
export const exampleRow = (name: 'orders-create' | 'products-create'): Row => parseJsonExact(exampleText(name)) as Row;

/** JSON with every id-like field (`id`, `…_id`) holding digits written as a number, as Shopify writes it. */
export function shopifyJson(value: unknown): string {
  return JSON.stringify(value, (key, v: unknown) => (typeof v === 'string' && /^\d+$/.test(v) && (key === 'id' || key.endsWith('_id')) ? `\u0000${v}\u0000` : v)).replace(
    /"\\u0000(\d+)\\u0000"/g,
    '$1',
  );
}

const shopifyError = (status: number, errors: unknown): InjectedAnswer => ({ status, body: { errors } });

/** Orders #1001… with ids past 2^53, two hours apart, the first `closed` ones closed. */
function seedOrders(count: number): Map<string, Row> {
  const sample = exampleRow('orders-create');
  const orders = new Map<string, Row>();
  for (let n = 1; n <= count; n++) {
    const id = (820982911946154508n + BigInt(n)).toString();
    const at = new Date(Date.UTC(2026, 10, 1, 2 * n)).toISOString().replace('.000Z', '+00:00');
    orders.set(id, {
      ...sample,
      id,
      admin_graphql_api_id: `gid://shopify/Order/${id}`,
      name: `#${1000 + n}`,
      order_number: 1000 + n,
      number: n,
      email: `buyer${n}@example.com`,
      created_at: at,
      updated_at: at,
      processed_at: at,
      cancelled_at: null,
      cancel_reason: null,
      closed_at: n % 4 === 0 ? at : null,
      financial_status: n % 2 === 0 ? 'paid' : 'pending',
      total_price: `${100 + n}.00`,
    });
  }
  return orders;
}

export async function startFakeShopify(options: { apiVersion: string; shop?: string; orders?: number }): Promise<FakeShopify> {
  if (!restVersions().includes(options.apiVersion)) throw new Error(`@shopify/shopify-api ships no REST resources for ${options.apiVersion}`);
  const routes = new Map<string, ResourceRoute[]>(Object.entries(ROUTES).map(([plural, resource]) => [plural, resourceRoutes(options.apiVersion, resource)]));
  const requests: RecordedRequest[] = [];
  const violations: string[] = [];
  const tokens = new Set([`shpat_${randomBytes(16).toString('hex')}`]);
  const oauthApp = { clientId: randomBytes(16).toString('hex'), clientSecret: `shpss_${randomBytes(16).toString('hex')}` };
  const codes = new Map<string, string>();
  const buckets = new Map<string, { level: number; at: number }>();
  const injected: Array<{ answer: InjectedAnswer; left: number }> = [];
  const orders = seedOrders(options.orders ?? 7);
  const products = new Map<string, Row>([[exampleRow('products-create').id, exampleRow('products-create')]]);
  const sampleCustomer = exampleRow('orders-create').customer as Row;
  const customers = new Map<string, Row>(
    [1, 2, 3].map((n) => {
      const id = (115310627314723954n + BigInt(n)).toString();
      const at = new Date(Date.UTC(2026, 10, 1, n)).toISOString().replace('.000Z', '+00:00');
      return [id, { ...sampleCustomer, id, admin_graphql_api_id: `gid://shopify/Customer/${id}`, email: `customer${n}@example.com`, created_at: at, updated_at: at }];
    }),
  );
  const webhooks = new Map<string, Row>();
  let nextWebhookId = 4759306;
  let origin = '';
  const fake: FakeShopify = {
    url: '',
    shop: options.shop ?? 'my-shop',
    apiVersion: options.apiVersion,
    tokens,
    oauthApp,
    requests,
    violations,
    orders,
    products,
    customers,
    webhooks,
    lastScopes: [],
    fillBucket: (token, used) => void buckets.set(token, { level: used, at: Date.now() }),
    failNext: (answer, count = 1) => void injected.push({ answer, left: count }),
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };

  /** The bucket after leaking since its last call, and whether this call fits. */
  function drip(token: string): { used: number; full: boolean } {
    const now = Date.now();
    const bucket = buckets.get(token) ?? { level: 0, at: now };
    const level = Math.max(0, bucket.level - ((now - bucket.at) / 1000) * LEAK_PER_SECOND);
    const full = level + 1 > BUCKET_SIZE;
    buckets.set(token, { level: full ? level : level + 1, at: now });
    return { used: Math.min(BUCKET_SIZE, Math.ceil(full ? level : level + 1)), full };
  }

  function send(res: ServerResponse, answer: InjectedAnswer, used?: number): void {
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', 'x-request-id': randomUUID(), 'x-shopify-api-version': options.apiVersion, ...answer.headers };
    if (used !== undefined) headers['x-shopify-shop-api-call-limit'] = `${used}/${BUCKET_SIZE}`;
    res.writeHead(answer.status, headers);
    res.end(answer.body === undefined ? '' : typeof answer.body === 'string' ? answer.body : shopifyJson(answer.body));
  }

  /** Shopify's page_info: opaque to clients, here the filters and where the page starts. */
  const encodePage = (page: { filters: Json; offset: number }) => Buffer.from(JSON.stringify(page)).toString('base64url');
  const decodePage = (token: string): { filters: Json; offset: number } | undefined => {
    try {
      const page = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { filters: Json; offset: number };
      return typeof page.offset === 'number' && typeof page.filters === 'object' ? page : undefined;
    } catch {
      return undefined;
    }
  };

  function list(req: RecordedRequest, plural: string, all: Row[], filter: (row: Row, filters: Json) => boolean): InjectedAnswer & { link?: string } {
    const limit = req.query.has('limit') ? Number(req.query.get('limit')) : 50;
    if (!Number.isInteger(limit) || limit < 1 || limit > 250) return (violations.push(`limit ${req.query.get('limit')}`), shopifyError(400, { limit: 'Invalid value' }));
    const token = req.query.get('page_info');
    let page: { filters: Json; offset: number };
    if (token !== null) {
      const decoded = decodePage(token);
      if (!decoded) return (violations.push(`page_info ${token}`), shopifyError(400, { page_info: 'Invalid value.' }));
      page = decoded;
    } else {
      const filters = Object.fromEntries([...req.query.entries()].filter(([name]) => name !== 'limit' && name !== 'fields'));
      page = { filters, offset: 0 };
    }
    const { filters } = page;
    // Shopify lists newest first, or by id from since_id on.
    const ordered = filters.since_id !== undefined ? [...all].sort((a, b) => compareIds(a.id, b.id)) : [...all].sort((a, b) => compareIds(b.id, a.id));
    const matching = ordered.filter((row) => filter(row, filters) && common(row, filters));
    const rows = matching.slice(page.offset, page.offset + limit);
    const at = (offset: number) => `<${origin}/admin/api/${req.version}/${plural}.json?page_info=${encodePage({ filters, offset })}&limit=${limit}>`;
    const links = [
      ...(page.offset > 0 ? [`${at(Math.max(0, page.offset - limit))}; rel="previous"`] : []),
      ...(page.offset + limit < matching.length ? [`${at(page.offset + limit)}; rel="next"`] : []),
    ];
    return { status: 200, body: { [plural]: rows }, headers: links.length ? { link: links.join(', ') } : {} };
  }

  function common(row: Row, filters: Json): boolean {
    const text = (name: string) => (typeof filters[name] === 'string' ? (filters[name] as string) : undefined);
    const time = (value: unknown) => (typeof value === 'string' ? Date.parse(value) : NaN);
    const bound = (field: string, min: string | undefined, max: string | undefined) => (min === undefined || time(row[field]) >= time(min)) && (max === undefined || time(row[field]) <= time(max));
    const ids = text('ids')?.split(',');
    return (
      (ids === undefined || ids.includes(row.id)) &&
      (text('since_id') === undefined || compareIds(row.id, text('since_id')!) > 0) &&
      bound('updated_at', text('updated_at_min'), text('updated_at_max')) &&
      bound('created_at', text('created_at_min'), text('created_at_max'))
    );
  }

  const orderFilter = (row: Row, filters: Json): boolean => {
    const status = (filters.status as string | undefined) ?? 'open';
    const state = row.cancelled_at ? 'cancelled' : row.closed_at ? 'closed' : 'open';
    const financial = filters.financial_status as string | undefined;
    return (status === 'any' || status === state) && (financial === undefined || financial === 'any' || financial === row.financial_status);
  };
  const productFilter = (row: Row, filters: Json): boolean =>
    ['status', 'vendor', 'product_type', 'handle'].every((name) => filters[name] === undefined || String(filters[name]).split(',').includes(String(row[name])));

  function createWebhook(req: RecordedRequest): InjectedAnswer {
    if (!/^application\/json\b/.test(req.headers['content-type'] ?? ''))
      return (violations.push(`POST webhooks.json content-type ${req.headers['content-type']}`), shopifyError(406, 'Not Acceptable'));
    let body: { webhook?: { topic?: unknown; address?: unknown; format?: unknown } };
    try {
      body = JSON.parse(req.body) as typeof body;
    } catch {
      return (violations.push('POST webhooks.json: body is not JSON'), shopifyError(400, 'Bad Request'));
    }
    const webhook = body.webhook;
    const known = new Set(['topic', 'address', 'format', 'fields', 'metafield_namespaces', 'private_metafield_namespaces', 'filter', 'include_fields']);
    if (!webhook || typeof webhook !== 'object') return (violations.push('POST webhooks.json: no webhook object'), shopifyError(400, { webhook: 'Required parameter missing or invalid' }));
    for (const key of Object.keys(webhook)) if (!known.has(key)) violations.push(`POST webhooks.json: webhook.${key} is no field of a webhook`);
    const { topic, address, format = 'json' } = webhook;
    const errors: Record<string, string[]> = {};
    if (typeof topic !== 'string' || !TOPICS.has(topic)) errors.topic = ['Invalid topic specified. Topics allowed: ' + [...TOPICS].join(', ')];
    // Shopify takes https addresses only; loopback over http here, where the test system listens.
    const url = typeof address === 'string' && URL.canParse(address) ? new URL(address) : undefined;
    if (!url || !(url.protocol === 'https:' || (url.protocol === 'http:' && url.hostname === '127.0.0.1'))) errors.address = ['is not a valid URL'];
    if (format !== 'json' && format !== 'xml') errors.format = ['is not included in the list'];
    if (!errors.address && [...webhooks.values()].some((w) => w.topic === topic && w.address === address)) errors.address = ['for this topic has already been taken'];
    if (Object.keys(errors).length) return shopifyError(422, errors);
    const now = new Date().toISOString();
    const created: Row = {
      id: String(nextWebhookId++),
      address: address as string,
      topic: topic as string,
      created_at: now,
      updated_at: now,
      format,
      fields: [],
      metafield_namespaces: [],
      api_version: req.version,
      private_metafield_namespaces: [],
    };
    webhooks.set(created.id, created);
    return { status: 201, body: { webhook: created } };
  }

  function handleApi(req: RecordedRequest): InjectedAnswer {
    const [plural] = req.path.split(/[/.?]/);
    const declared = routes.get(plural ?? '');
    const pathOnly = req.path.split('?')[0]!;
    const route = declared?.find((r) => r.method === req.method && routePattern(r.path).test(pathOnly));
    if (!route) return (violations.push(`${req.method} ${pathOnly}: no such REST Admin route in ${req.version}`), shopifyError(404, 'Not Found'));
    const id = routePattern(route.path).exec(pathOnly)?.[1];
    // Only what Shopify's library declares for the operation; beside page_info, only limit and fields.
    const names = [...new Set(req.query.keys())];
    for (const name of names) if (req.query.getAll(name).length > 1) violations.push(`${req.method} ${pathOnly}: ${name} given twice`);
    if (req.query.has('page_info')) {
      const extra = names.find((name) => !['page_info', 'limit', 'fields'].includes(name));
      if (extra) {
        violations.push(`${req.method} ${pathOnly}: ${extra} beside page_info`);
        return shopifyError(400, { [extra]: `${extra} cannot be passed when page_info is present. See https://shopify.dev/api/usage/pagination-rest for more information.` });
      }
    } else {
      const unknown = names.find((name) => !route.params.includes(name));
      if (unknown) violations.push(`${req.method} ${pathOnly}: ${unknown} is no parameter of ${route.operation} ${route.path}`);
    }
    if (req.method !== 'POST' && req.method !== 'PUT' && req.body !== '') violations.push(`${req.method} ${pathOnly}: a body on a ${req.method}`);
    const missing = () => shopifyError(404, 'Not Found');
    switch (`${req.method} ${route.path}`) {
      case 'GET orders.json':
        return list(req, 'orders', [...orders.values()], orderFilter);
      case 'GET orders/<id>.json':
        return orders.has(id!) ? { status: 200, body: { order: orders.get(id!) } } : missing();
      case 'GET products.json':
        return list(req, 'products', [...products.values()], productFilter);
      case 'GET customers.json':
        return list(req, 'customers', [...customers.values()], () => true);
      case 'GET webhooks.json':
        return list(
          req,
          'webhooks',
          [...webhooks.values()],
          (row, filters) => (filters.topic === undefined || row.topic === filters.topic) && (filters.address === undefined || row.address === filters.address),
        );
      case 'POST webhooks.json':
        return createWebhook(req);
      case 'DELETE webhooks/<id>.json':
        return webhooks.delete(id!) ? { status: 200, body: {} } : missing();
      default:
        violations.push(`${req.method} ${route.path}: declared by Shopify, not served by the fake`);
        return shopifyError(404, 'Not Found');
    }
  }

  /** Shopify's callback signature: HMAC-SHA256 (hex) of the other parameters, sorted, as `k=v&…`. */
  const callbackHmac = (params: URLSearchParams) =>
    createHmac('sha256', oauthApp.clientSecret)
      .update(
        [...params.entries()]
          .filter(([k]) => k !== 'hmac')
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([k, v]) => `${k}=${v}`)
          .join('&'),
      )
      .digest('hex');

  function handleOAuth(req: IncomingMessage, res: ServerResponse, url: URL, text: string): void {
    if (req.method === 'GET' && url.pathname === '/admin/oauth/authorize') {
      const q = url.searchParams;
      const redirectUri = q.get('redirect_uri') ?? '';
      if (q.get('client_id') !== oauthApp.clientId || !URL.canParse(redirectUri) || !q.get('state')) violations.push(`authorize: ${url.search}`);
      if (q.getAll('grant_options[]').length) violations.push('authorize: grant_options[] asks for an online (per-user) token');
      fake.lastScopes = (q.get('scope') ?? '').split(',');
      if (fake.lastScopes.some((scope) => /\s/.test(scope))) violations.push(`authorize: Shopify reads scope as comma-separated, got "${q.get('scope')}"`);
      const code = randomBytes(16).toString('hex');
      codes.set(code, q.get('scope') ?? '');
      const back = new URL(redirectUri);
      const params = new URLSearchParams({
        code,
        host: Buffer.from(`admin.shopify.com/store/${fake.shop}`).toString('base64url'),
        shop: `${fake.shop}.myshopify.com`,
        state: q.get('state') ?? '',
        timestamp: String(Math.floor(Date.now() / 1000)),
      });
      params.set('hmac', callbackHmac(params));
      for (const [k, v] of params) back.searchParams.set(k, v);
      res.writeHead(302, { location: back.toString() }).end();
      return;
    }
    if (req.method === 'POST' && url.pathname === '/admin/oauth/access_token') {
      const type = req.headers['content-type'] ?? '';
      const form = /^application\/json/.test(type) ? new URLSearchParams(JSON.parse(text) as Record<string, string>) : new URLSearchParams(text);
      if (!/^application\/(json|x-www-form-urlencoded)/.test(type)) violations.push(`access_token: content-type ${type}`);
      const answer = (status: number, body: unknown) => void res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
      if (form.get('client_id') !== oauthApp.clientId || form.get('client_secret') !== oauthApp.clientSecret)
        return answer(400, { error: 'invalid_client', error_description: 'Client authentication failed' });
      const scope = codes.get(form.get('code') ?? '');
      codes.delete(form.get('code') ?? '');
      if (scope === undefined) return answer(400, { error: 'invalid_request', error_description: 'The authorization code was not found or was already used' });
      const token = `shpca_${randomBytes(16).toString('hex')}`;
      tokens.add(token);
      return answer(200, { access_token: token, scope });
    }
    send(res, shopifyError(404, 'Not Found'));
  }

  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname.startsWith('/admin/oauth/')) return handleOAuth(req, res, url, text);
    const match = /^\/admin\/api\/([^/]+)\/(.+)$/.exec(url.pathname);
    if (!match) return (violations.push(`${req.method} ${url.pathname}: not under /admin/api/<version>/`), send(res, shopifyError(404, 'Not Found')));
    const [, version, rest] = match as unknown as [string, string, string];
    const recorded: RecordedRequest = { method: req.method ?? 'GET', path: `${rest}${url.search}`, version, query: url.searchParams, headers: req.headers, body: text };
    requests.push(recorded);
    if (version !== options.apiVersion) violations.push(`${req.method} ${url.pathname}: API version ${version}, the fake serves ${options.apiVersion}`);
    const token = req.headers['x-shopify-access-token'];
    if (typeof token !== 'string' || !tokens.has(token)) {
      violations.push(`${req.method} ${url.pathname}: X-Shopify-Access-Token ${token === undefined ? 'missing' : 'unknown'}`);
      return send(res, shopifyError(401, '[API] Invalid API key or access token (unrecognized login or wrong password)'));
    }
    if (req.headers.authorization !== undefined) violations.push(`${req.method} ${url.pathname}: an Authorization header beside the access token`);
    const { used, full } = drip(token);
    if (full) return send(res, { ...shopifyError(429, 'Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.'), headers: { 'retry-after': '2.0' } }, used);
    const next = injected[0];
    if (next) {
      if (--next.left <= 0) injected.shift();
      return send(res, next.answer, used);
    }
    send(res, handleApi(recorded), used);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.url = origin;
  return fake;
}

function compareIds(a: string, b: string): number {
  const [x, y] = [BigInt(a), BigInt(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}
