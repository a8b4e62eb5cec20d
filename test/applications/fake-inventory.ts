/**
 * A loopback inventory service for the tests, serving the committed document
 * (applications/inventory/openapi.yaml) as it describes itself: `X-Api-Key`, items paged by
 * cursor (`nextCursor`), movements paged by `Link` headers, adjustments deduplicated by
 * `Idempotency-Key`, `{error: {code, message}}` bodies. Every request is validated against that
 * document by openapi-backend, and every answer of the fake against it too; what the document
 * refuses is answered 400 and recorded in `violations`, so the test fails on it.
 * `deliver()` signs a `stock.changed` webhook as Standard Webhooks senders do, with the reference
 * library `standardwebhooks`.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import addFormats from 'ajv-formats';
import { OpenAPIBackend, type Document, type Operation } from 'openapi-backend';
import { Webhook } from 'standardwebhooks';
import { parse } from 'yaml';
import type { Item, Movement } from '../../applications/inventory/openapi.types';
import { repositoryRoot } from '../../connectors/openapi/committed';

export const INVENTORY_DOCUMENT = join(repositoryRoot, 'applications', 'inventory', 'openapi.yaml');

export interface RecordedRequest {
  method: string;
  url: string;
  operationId: string | undefined;
  headers: IncomingMessage['headers'];
  body: unknown;
}

export interface FakeInventory {
  url: string;
  apiKey: string;
  violations: string[];
  requests: RecordedRequest[];
  items: Map<string, Item>;
  movements: Movement[];
  /** A sale (or any movement) as the service books it: the stock changes and a `stock.changed` event describes it. */
  book(sku: string, delta: number, reason: Movement['reason'], at?: Date): { item: Item; movement: Movement; event: StockChangedEvent };
  /** The event as the service would POST it to `url`, signed with `secret` (whsec_…), and the answer. */
  deliver(url: string, secret: string, event: StockChangedEvent, options?: { id?: string; timestamp?: Date; tamper?: boolean }): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

export interface StockChangedEvent {
  id: string;
  type: 'stock.changed';
  occurredAt: string;
  item: Item;
  movement: Movement;
}

export async function startFakeInventory(options: { items?: number } = {}): Promise<FakeInventory> {
  const api = new OpenAPIBackend({
    definition: parse(readFileSync(INVENTORY_DOCUMENT, 'utf8')) as Document,
    quick: true,
    strict: false,
    ajvOpts: { strict: false, allErrors: true },
    customizeAjv: (ajv) => addFormats(ajv as never) as never,
  });
  await api.init();

  const apiKey = `inv_${randomUUID()}`;
  const violations: string[] = [];
  const requests: RecordedRequest[] = [];
  const items = new Map<string, Item>();
  const movements: Movement[] = [];
  const applied = new Map<string, Movement>();
  const start = Date.parse('2026-12-01T08:00:00Z');
  for (let i = 1; i <= (options.items ?? 7); i++) {
    const sku = `SKU-${String(i).padStart(3, '0')}`;
    items.set(sku, { sku, name: `Item ${i}`, quantity: 20 + i, reorderPoint: 5, reorderQuantity: 24, updatedAt: new Date(start).toISOString() });
  }
  let origin = '';

  function book(sku: string, delta: number, reason: Movement['reason'], at = new Date()) {
    const item = items.get(sku);
    if (!item) throw new Error(`no item ${sku}`);
    const updated = { ...item, quantity: item.quantity + delta, updatedAt: at.toISOString() };
    const movement: Movement = { id: `mv_${movements.length + 1}`, sku, delta, reason, quantityAfter: updated.quantity, at: at.toISOString() };
    items.set(sku, updated);
    movements.push(movement);
    return { item: updated, movement, event: { id: `evt_${randomUUID()}`, type: 'stock.changed' as const, occurredAt: movement.at, item: updated, movement } };
  }

  function send(res: ServerResponse, status: number, body: unknown, operation?: Operation, headers: Record<string, string> = {}): void {
    if (operation) {
      const checked = api.validateResponse(body, operation, status);
      if (checked.errors?.length) violations.push(`fake's ${status} answer to ${operation.operationId} breaks the document: ${JSON.stringify(checked.errors.slice(0, 3))}`);
    }
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
  }
  const error = (res: ServerResponse, status: number, code: string, message: string, operation?: Operation) => send(res, status, { error: { code, message } }, operation);

  function handle(req: IncomingMessage, res: ServerResponse, text: string): void {
    const url = new URL(req.url ?? '/', origin);
    const method = (req.method ?? 'GET').toUpperCase();
    let body: unknown;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        violations.push(`${method} ${url.pathname}: a body that is not JSON`);
        return error(res, 400, 'bad_request', 'the body is not JSON');
      }
    }
    const request = { method, path: url.pathname.replace(/^\/v1/, ''), query: Object.fromEntries(url.searchParams), headers: req.headers as Record<string, string>, body };
    const operation = url.pathname.startsWith('/v1/') ? api.matchOperation(request) : undefined;
    requests.push({ method, url: req.url ?? '', operationId: operation?.operationId, headers: req.headers, body });
    if (!operation) {
      violations.push(`${method} ${url.pathname}: no such operation in the document (under /v1)`);
      return error(res, 404, 'not_found', 'no such operation');
    }
    const checked = api.validateRequest(request, operation);
    if (!checked.valid) {
      violations.push(`${method} ${url.pathname} (${operation.operationId}) refused by the document: ${JSON.stringify(checked.errors)}`);
      return error(res, 400, 'bad_request', 'the request breaks the API description');
    }
    if (req.headers['x-api-key'] !== apiKey) return error(res, 401, 'unauthorized', 'a valid X-Api-Key is required', operation);
    const { params } = api.router.parseRequest(request, operation) as { params: Record<string, string> };
    const limit = Number(url.searchParams.get('limit') ?? 50);
    switch (operation.operationId) {
      case 'listItems': {
        const all = [...items.values()];
        const from = url.searchParams.has('cursor') ? all.findIndex((item) => item.sku === Buffer.from(url.searchParams.get('cursor')!, 'base64url').toString()) : 0;
        if (from < 0) return error(res, 400, 'bad_cursor', 'unknown cursor', operation);
        const page = all.slice(from, from + limit);
        const next = all[from + limit];
        return send(res, 200, { items: page, nextCursor: next ? Buffer.from(next.sku).toString('base64url') : null }, operation);
      }
      case 'getItem': {
        const item = items.get(params.sku!);
        return item ? send(res, 200, item, operation) : error(res, 404, 'not_found', `no item ${params.sku}`, operation);
      }
      case 'listMovements': {
        if (!items.has(params.sku!)) return error(res, 404, 'not_found', `no item ${params.sku}`, operation);
        const since = url.searchParams.has('since') ? Date.parse(url.searchParams.get('since')!) : -Infinity;
        const all = movements.filter((m) => m.sku === params.sku && Date.parse(m.at) >= since);
        const page = Number(url.searchParams.get('page') ?? 1);
        const slice = all.slice((page - 1) * limit, page * limit);
        const nextUrl = new URL(url);
        nextUrl.searchParams.set('page', String(page + 1));
        // As RFC 8288 services do: a relative link to the next page, none on the last.
        const headers: Record<string, string> = page * limit < all.length ? { link: `<${nextUrl.pathname}${nextUrl.search}>; rel="next"` } : {};
        return send(res, 200, slice, operation, headers);
      }
      case 'adjustStock': {
        const key = req.headers['idempotency-key'];
        if (typeof key !== 'string' || key === '') violations.push('adjustStock without an Idempotency-Key');
        else if (applied.has(key)) return send(res, 201, applied.get(key), operation);
        const item = items.get(params.sku!);
        if (!item) return error(res, 404, 'not_found', `no item ${params.sku}`, operation);
        const { delta, reason } = body as { delta: number; reason: Movement['reason'] };
        if (item.quantity + delta < 0) return error(res, 409, 'insufficient_stock', `${params.sku} has ${item.quantity}`, operation);
        const { movement } = book(item.sku, delta, reason);
        if (typeof key === 'string') applied.set(key, movement);
        return send(res, 201, movement, operation);
      }
    }
    violations.push(`${operation.operationId}: not served by the fake`);
    return error(res, 404, 'not_found', 'not served');
  }

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      try {
        handle(req, res, Buffer.concat(chunks).toString('utf8'));
      } catch (err) {
        violations.push(`fake crashed: ${(err as Error).stack}`);
        res.writeHead(500).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: `${origin}/v1`,
    apiKey,
    violations,
    requests,
    items,
    movements,
    book,
    async deliver(target, secret, event, { id = `msg_${randomUUID()}`, timestamp = new Date(), tamper = false } = {}) {
      const payload = JSON.stringify(event);
      const signature = new Webhook(secret).sign(id, timestamp, payload);
      const sent = tamper ? payload.replace(`"quantity":${event.item.quantity}`, `"quantity":${event.item.quantity + 100}`) : payload;
      const res = await fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)), 'webhook-signature': signature },
        body: sent,
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
