/**
 * Imported actions page like hand-written connectors: how a document's hints become a pagination
 * (its own `x-pagination`, Speakeasy's extension, a declared Link header, cursor and next fields),
 * and how each pagination picks the next page from an answer.
 */
import { extractSpec } from './extract';
import { importedPaginator } from './imported-paginator';
import type { OpenApiDocument } from './load-document';
import type { ImportedPagination, ImportIssue } from './spec';
import type { ConnectorResponse } from '../framework/evaluate';

const query = (...names: string[]) => names.map((name) => ({ name, in: 'query', schema: { type: name === 'cursor' || name === 'after' ? 'string' : 'integer' } }));
const json = (schema: unknown) => ({ 200: { description: 'ok', content: { 'application/json': { schema } } } });

function paginationOf(operation: Record<string, unknown>, components: Record<string, unknown> = {}): { pagination: ImportedPagination | undefined; warnings: ImportIssue[] } {
  const warnings: ImportIssue[] = [];
  const doc = { openapi: '3.0.3', info: { title: 't', version: '1' }, paths: { '/things': { get: { operationId: 'listThings', ...operation } } }, components } as OpenApiDocument;
  const spec = extractSpec(doc, 't', 1, warnings);
  return { pagination: spec.actions[0]!.pagination, warnings };
}

describe('pagination from the document', () => {
  it('reads x-pagination, the declaration an author writes into the document', () => {
    expect(paginationOf({ parameters: query('cursor'), 'x-pagination': { style: 'cursor', param: 'cursor', next: '$.meta.next' }, responses: json({}) }).pagination).toEqual({
      style: 'cursor',
      param: 'cursor',
      next: ['meta', 'next'],
    });
    expect(paginationOf({ 'x-pagination': { style: 'next-url', next: ['@odata.nextLink'] }, responses: json({}) }).pagination).toEqual({ style: 'next-url', next: ['@odata.nextLink'] });
  });

  it('imports without pagination, with a warning naming the field, when x-pagination cannot be used', () => {
    const unknownParam = paginationOf({ parameters: query('page'), 'x-pagination': { style: 'cursor', param: 'cursor', next: 'next' }, responses: json({}) });
    expect(unknownParam.pagination).toBeUndefined();
    expect(unknownParam.warnings).toContainEqual({
      location: 'paths./things.get.x-pagination',
      message: 'param: listThings has no query parameter "cursor"; the operation is imported without pagination',
    });
    const badStyle = paginationOf({ 'x-pagination': { style: 'sideways' }, responses: json({}) });
    expect(badStyle.pagination).toBeUndefined();
    expect(badStyle.warnings[0]).toMatchObject({ location: 'paths./things.get.x-pagination', message: expect.stringMatching(/^style: .*imported without pagination$/) });
  });

  it("reads Speakeasy's x-speakeasy-pagination: offsetLimit by page or offset, cursor, url", () => {
    const page = {
      parameters: query('page', 'limit'),
      'x-speakeasy-pagination': {
        type: 'offsetLimit',
        inputs: [
          { name: 'page', in: 'parameters', type: 'page' },
          { name: 'limit', in: 'parameters', type: 'limit' },
        ],
        outputs: { results: '$.data.resultArray' },
      },
      responses: json({}),
    };
    expect(paginationOf(page).pagination).toEqual({ style: 'page-number', param: 'page', results: ['data', 'resultArray'], limitParam: 'limit' });
    const offset = {
      parameters: query('offset'),
      'x-speakeasy-pagination': { type: 'offsetLimit', inputs: [{ name: 'offset', in: 'parameters', type: 'offset' }], outputs: { results: '$' } },
      responses: json({}),
    };
    expect(paginationOf(offset).pagination).toEqual({ style: 'offset', param: 'offset', results: [] });
    const cursor = {
      parameters: query('after'),
      'x-speakeasy-pagination': { type: 'cursor', inputs: [{ name: 'after', in: 'parameters', type: 'cursor' }], outputs: { nextCursor: '$.data[-1].id' } },
      responses: json({}),
    };
    expect(paginationOf(cursor).pagination).toEqual({ style: 'cursor', param: 'after', next: ['data', '-1', 'id'] });
    expect(paginationOf({ 'x-speakeasy-pagination': { type: 'url', outputs: { nextUrl: '$.next' } }, responses: json({}) }).pagination).toEqual({ style: 'next-url', next: ['next'] });
    const inBody = paginationOf({
      'x-speakeasy-pagination': { type: 'cursor', inputs: [{ name: 'since', in: 'requestBody', type: 'cursor' }], outputs: { nextCursor: '$.next' } },
      responses: json({}),
    });
    expect(inBody.pagination).toBeUndefined();
    expect(inBody.warnings[0]!.message).toMatch(/inputs in requestBody are not supported/);
  });

  it('pages by Link headers when the success response declares one', () => {
    expect(
      paginationOf({ responses: { 200: { description: 'ok', headers: { Link: { schema: { type: 'string' } } }, content: { 'application/json': { schema: { type: 'array' } } } } } }).pagination,
    ).toEqual({
      style: 'link-header',
    });
  });

  it('pages by a cursor parameter and the next-cursor field of the output, found through $refs', () => {
    const components = {
      schemas: {
        Page: { type: 'object', properties: { items: { type: 'array' }, meta: { $ref: '#/components/schemas/Meta' } } },
        Meta: { type: 'object', properties: { next_cursor: { type: 'string' } } },
      },
    };
    expect(paginationOf({ parameters: query('cursor', 'limit'), responses: json({ $ref: '#/components/schemas/Page' }) }, components).pagination).toEqual({
      style: 'cursor',
      param: 'cursor',
      next: ['meta', 'next_cursor'],
    });
    // HubSpot's shape: ?after= and paging.next.after.
    const hubspot = {
      type: 'object',
      properties: { results: { type: 'array' }, paging: { type: 'object', properties: { next: { type: 'object', properties: { after: { type: 'string' }, link: { type: 'string' } } } } } },
    };
    expect(paginationOf({ parameters: query('after', 'limit'), responses: json(hubspot) }).pagination).toEqual({ style: 'cursor', param: 'after', next: ['paging', 'next', 'after'] });
  });

  it('pages by a next-page URL in the output, a page number with has_more, or offset and limit over the one array', () => {
    expect(paginationOf({ responses: json({ type: 'object', properties: { value: { type: 'array' }, '@odata.nextLink': { type: 'string' } } }) }).pagination).toEqual({
      style: 'next-url',
      next: ['@odata.nextLink'],
    });
    expect(paginationOf({ responses: json({ type: 'object', properties: { links: { type: 'object', properties: { next: { type: 'string' } } } } }) }).pagination).toEqual({
      style: 'next-url',
      next: ['links', 'next'],
    });
    expect(paginationOf({ parameters: query('page'), responses: json({ type: 'object', properties: { data: { type: 'array' }, has_more: { type: 'boolean' } } }) }).pagination).toEqual({
      style: 'page-number',
      param: 'page',
      hasMore: ['has_more'],
    });
    expect(paginationOf({ parameters: query('offset', 'limit'), responses: json({ type: 'object', properties: { total: { type: 'integer' }, notes: { type: 'array' } } }) }).pagination).toEqual({
      style: 'offset',
      param: 'offset',
      limitParam: 'limit',
      results: ['notes'],
    });
  });

  it('guesses nothing from a next field that is not a URL, nor a cursor without its parameter', () => {
    expect(paginationOf({ responses: json({ type: 'object', properties: { next: { type: 'string' }, next_cursor: { type: 'string' } } }) }).pagination).toBeUndefined();
    expect(paginationOf({ parameters: query('offset'), responses: json({ type: 'object', properties: { a: { type: 'array' }, b: { type: 'array' } } }) }).pagination).toBeUndefined();
  });
});

describe('the next page', () => {
  const response = (url = 'https://api.example.com/v1/things?limit=2', link?: string): ConnectorResponse =>
    ({ status: 200, url, headers: new Headers(link ? { link } : {}), body: undefined, text: '' }) as unknown as ConnectorResponse;
  const next = (pagination: ImportedPagination, input: Record<string, unknown>, output: unknown, res = response()) => importedPaginator(pagination).next({ input, output, response: res });

  it('cursor: the token as it came, until there is none', () => {
    const pagination: ImportedPagination = { style: 'cursor', param: 'cursor', next: ['meta', 'next_cursor'] };
    expect(next(pagination, { limit: 2 }, { meta: { next_cursor: 'c2' } })).toEqual({ input: { limit: 2, cursor: 'c2' } });
    expect(next({ style: 'cursor', param: 'after', next: ['items', '-1', 'id'] }, {}, { items: [{ id: 1 }, { id: 9 }] })).toEqual({ input: { after: 9 } });
    expect(next(pagination, { limit: 2 }, { meta: { next_cursor: null } })).toBeUndefined();
    expect(next(pagination, { limit: 2 }, { meta: { next_cursor: '' } })).toBeUndefined();
  });

  it('next-url and Link: a URL resolved against the page it came from', () => {
    expect(next({ style: 'next-url', next: ['links', 'next'] }, { limit: 2 }, { links: { next: '/v1/things?page=2' } })).toEqual({
      input: { limit: 2 },
      url: 'https://api.example.com/v1/things?page=2',
    });
    expect(next({ style: 'link-header' }, {}, [], response(undefined, '<https://api.example.com/v1/things?page=3>; rel="next"'))).toEqual({
      input: {},
      url: 'https://api.example.com/v1/things?page=3',
    });
    expect(next({ style: 'next-url', next: ['links', 'next'] }, {}, { links: {} })).toBeUndefined();
  });

  it('page numbers: by has_more, else while a page is full', () => {
    expect(next({ style: 'page-number', param: 'page', hasMore: ['has_more'] }, {}, { has_more: true })).toEqual({ input: { page: 2 } });
    expect(next({ style: 'page-number', param: 'page', hasMore: ['has_more'] }, { page: 2 }, { has_more: false })).toBeUndefined();
    const byResults: ImportedPagination = { style: 'page-number', param: 'page', results: ['data'], limitParam: 'limit' };
    expect(next(byResults, { page: 4, limit: 2 }, { data: [1, 2] })).toEqual({ input: { page: 5, limit: 2 } });
    expect(next(byResults, { page: 5, limit: 2 }, { data: [1] })).toBeUndefined();
    expect(next({ style: 'page-number', param: 'page', results: ['data'] }, {}, { data: [1] })).toEqual({ input: { page: 2 } });
    expect(next({ style: 'page-number', param: 'page', results: ['data'] }, { page: 2 }, { data: [] })).toBeUndefined();
  });

  it('offsets: by the number of results, while a page is full (or, without a limit, not empty)', () => {
    const pagination: ImportedPagination = { style: 'offset', param: 'offset', results: [], limitParam: 'limit' };
    expect(next(pagination, { limit: 2 }, ['a', 'b'])).toEqual({ input: { limit: 2, offset: 2 } });
    expect(next(pagination, { limit: 2, offset: 2 }, ['c'])).toBeUndefined();
    expect(next({ style: 'offset', param: 'offset', results: ['notes'] }, { offset: 3 }, { notes: ['x'] })).toEqual({ input: { offset: 4 } });
    expect(next({ style: 'offset', param: 'offset', results: ['notes'] }, { offset: 4 }, { notes: [] })).toBeUndefined();
  });
});
