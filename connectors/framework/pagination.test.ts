/** Each pagination style against a real loopback server: every record once, in order, then a stop. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { defineApplication } from '../../applications/framework/application';
import { defineConnector, type Connector } from './connector';
import { executeConnectorPage } from './execute';
import { nextLink, type NextPage } from './pagination';

const RECORDS = Array.from({ length: 23 }, (_, i) => ({ id: i + 1 }));
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    const json = (body: unknown, headers: Record<string, string> = {}) => res.writeHead(200, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
    const num = (name: string, fallback: number) => Number(url.searchParams.get(name) ?? fallback);
    switch (url.pathname) {
      case '/by-page': {
        const page = num('page', 1);
        return json({ items: RECORDS.slice((page - 1) * 5, page * 5), hasMore: page * 5 < RECORDS.length });
      }
      case '/by-offset':
        return json({ items: RECORDS.slice(num('offset', 0), num('offset', 0) + num('limit', 5)) });
      case '/by-cursor': {
        const from = Number(url.searchParams.get('cursor') ?? 0);
        const items = RECORDS.slice(from, from + 5);
        return json({ items, nextCursor: from + 5 < RECORDS.length ? String(from + 5) : null });
      }
      case '/by-link': {
        const page = num('p', 1);
        const links = page * 5 < RECORDS.length ? `<${baseUrl}/by-link?p=${page + 1}>; rel="next", <${baseUrl}/by-link?p=5>; rel="last"` : `<${baseUrl}/by-link?p=1>; rel="first"`;
        return json({ items: RECORDS.slice((page - 1) * 5, page * 5) }, { link: links });
      }
      case '/api/v3/repos/o/r/issues': {
        // GitHub's style, relative: `</api/v3/...?page=2>` resolves against the request's URL.
        const page = num('page', 1);
        const links = page * 5 < RECORDS.length ? `</api/v3/repos/o/r/issues?per_page=5&page=${page + 1}>; rel="next"` : '';
        return json({ items: RECORDS.slice((page - 1) * 5, page * 5) }, links ? { link: links } : {});
      }
      case '/evil-link':
        return json({ items: [] }, { link: '<http://elsewhere.invalid/steal>; rel="next"' });
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const app = defineApplication({ name: 'paged', title: 'Paged', settings: z.object({ baseUrl: z.string() }), credentials: z.object({}), baseUrl: (s) => s.baseUrl, auth: { kind: 'none' } });
const Items = z.object({ items: z.array(z.object({ id: z.number() })) });
const channel = () => ({ settings: { baseUrl }, credentials: {} });

async function collect(connector: Connector, input: unknown): Promise<{ ids: number[]; calls: number }> {
  const ids: number[] = [];
  let next: NextPage | undefined;
  let calls = 0;
  for (;;) {
    const page = await executeConnectorPage(connector, channel(), input, next);
    calls += 1;
    ids.push(...(page.output as z.output<typeof Items>).items.map((item) => item.id));
    if (!page.next) return { ids, calls };
    next = page.next;
  }
}

const all = RECORDS.map((r) => r.id);

it('page number', async () => {
  const connector = defineConnector({
    application: app,
    name: 'byPage',
    description: '',
    input: z.object({ page: z.number().default(1) }),
    output: Items.extend({ hasMore: z.boolean() }),
    request: ({ page }) => ({ method: 'GET', path: '/by-page', query: { page } }),
    pagination: (p) => p.pageNumber({ param: 'page', hasMore: (out) => out.hasMore }),
  });
  expect(await collect(connector, {})).toEqual({ ids: all, calls: 5 });
});

it('offset', async () => {
  const connector = defineConnector({
    application: app,
    name: 'byOffset',
    description: '',
    input: z.object({ offset: z.number().default(0), limit: z.number().default(5) }),
    output: Items,
    request: ({ offset, limit }) => ({ method: 'GET', path: '/by-offset', query: { offset, limit } }),
    pagination: (p) => p.offset({ param: 'offset', limitParam: 'limit', count: (out) => out.items.length }),
  });
  expect(await collect(connector, {})).toEqual({ ids: all, calls: 5 });
});

it('cursor', async () => {
  const connector = defineConnector({
    application: app,
    name: 'byCursor',
    description: '',
    input: z.object({ cursor: z.string().optional() }),
    output: Items.extend({ nextCursor: z.string().nullable() }),
    request: ({ cursor }) => ({ method: 'GET', path: '/by-cursor', query: { cursor } }),
    pagination: (p) => p.cursor({ param: 'cursor', next: (out) => out.nextCursor }),
  });
  expect(await collect(connector, {})).toEqual({ ids: all, calls: 5 });
});

it('Link header', async () => {
  const connector = defineConnector({
    application: app,
    name: 'byLink',
    description: '',
    input: z.object({}),
    output: Items,
    request: () => ({ method: 'GET', path: '/by-link' }),
    pagination: (p) => p.linkHeader(),
  });
  expect(await collect(connector, {})).toEqual({ ids: all, calls: 5 });
});

it('relative Link header (GitHub style) resolves against the request URL and pages through', async () => {
  const connector = defineConnector({
    application: app,
    name: 'byRelativeLink',
    description: '',
    input: z.object({}),
    output: Items,
    request: () => ({ method: 'GET', path: '/api/v3/repos/o/r/issues', query: { per_page: 5 } }),
    pagination: (p) => p.linkHeader(),
  });
  expect(await collect(connector, {})).toEqual({ ids: all, calls: 5 });
});

it('refuses a next link to another origin (credentials go only where the channel points)', async () => {
  const connector = defineConnector({
    application: app,
    name: 'evil',
    description: '',
    input: z.object({}),
    output: Items,
    request: () => ({ method: 'GET', path: '/evil-link' }),
    pagination: (p) => p.linkHeader(),
  });
  const first = await executeConnectorPage(connector, channel(), {}, undefined);
  await expect(executeConnectorPage(connector, channel(), {}, first.next!)).rejects.toMatchObject({ errorClass: 'non-retryable', message: expect.stringContaining('is not on') });
});

it('parses RFC 8288 Link headers', () => {
  expect(nextLink('<https://api.x/a?page=2>; rel="next", <https://api.x/a?page=9>; rel="last"')).toBe('https://api.x/a?page=2');
  expect(nextLink('<https://api.x/a?page=1>; rel="prev first"')).toBeUndefined();
  expect(nextLink('<https://api.x/a?p=3>; rel="next last"')).toBe('https://api.x/a?p=3');
  expect(nextLink(null)).toBeUndefined();
});
