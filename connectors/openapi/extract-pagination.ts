/**
 * How an operation pages, read from its document, in this order:
 * 1. `x-pagination`: the declaration of pagination-declaration.ts, written in the document;
 * 2. `x-speakeasy-pagination` (https://www.speakeasy.com/docs/customize-sdks/pagination), which
 *    many published documents carry: `offsetLimit` (page or offset inputs), `cursor`, `url`;
 * 3. a `Link` header declared on the success response: RFC 8288 links;
 * 4. for a GET, its fields: a cursor query parameter (`cursor`, `after`, `page_token`, …) and a
 *    next-cursor field in the output (`next_cursor`, `nextPageToken`, `paging.next.after`, …); a
 *    next-page URL in the output (`links.next`, `@odata.nextLink`, a `next` of format uri); a
 *    `page` parameter and a `has_more` flag; `offset` and `limit` parameters and one array.
 * What cannot be read is a warning and the operation imports without pagination; the application
 * file beside a committed document can declare or turn off any of it (application-file.ts).
 */
import { importedPagination, PaginationDeclaration, parseOutputPath } from './pagination-declaration';
import { resolvePointer } from './refs';
import { isObject, type Json } from './schema-walk';
import type { ImportedAction, ImportedPagination, ImportIssue, OutputPath } from './spec';

type Draft = Pick<ImportedAction, 'name' | 'method' | 'parameters' | 'output'>;

const CURSOR_PARAMS = ['cursor', 'after', 'page_token', 'pageToken', 'next_token', 'nextToken', 'continuation', 'continuation_token', 'continuationToken', 'page_cursor', 'pageCursor'];
const NEXT_CURSOR_FIELDS = ['next_cursor', 'nextCursor', 'next_page_token', 'nextPageToken', 'next_token', 'nextToken', 'continuation_token', 'continuationToken', 'endCursor'];
const NEXT_URL_FIELDS = ['next_page_url', 'nextPageUrl', 'next_url', 'nextUrl', 'nextLink', '@odata.nextLink'];
const PAGE_PARAMS = ['page', 'page_number', 'pageNumber'];
const HAS_MORE_FIELDS = ['has_more', 'hasMore', 'has_next', 'hasNext', 'has_next_page', 'hasNextPage'];
const OFFSET_PARAMS = ['offset', 'skip'];
const LIMIT_PARAMS = ['limit', 'per_page', 'perPage', 'page_size', 'pageSize', 'size', 'count', 'top', 'take'];

export function paginationHint(root: Json, operation: Json, draft: Draft, location: string, warnings: ImportIssue[]): ImportedPagination | undefined {
  const declared = operation['x-pagination'];
  if (declared !== undefined) {
    const parsed = PaginationDeclaration.safeParse(declared);
    const result = parsed.success ? importedPagination(parsed.data, draft) : { error: parsed.error.issues.map((i) => `${i.path.join('.') || 'x-pagination'}: ${i.message}`).join('; ') };
    if (result !== null && 'error' in result) warnings.push({ location: `${location}.x-pagination`, message: `${result.error}; the operation is imported without pagination` });
    else return result ?? undefined;
    return undefined;
  }
  const speakeasy = operation['x-speakeasy-pagination'];
  if (speakeasy !== undefined) {
    const result = speakeasyPagination(speakeasy, draft);
    if (typeof result === 'string') warnings.push({ location: `${location}.x-speakeasy-pagination`, message: `${result}; the operation is imported without pagination` });
    else return result;
    return undefined;
  }
  if (declaresLinkHeader(root, operation.responses)) return { style: 'link-header' };
  return draft.method === 'GET' ? fromFields(root, draft) : undefined;
}

/** A JSONPath as Speakeasy writes them (`$.data.next`, `$.data[-1].id`), as keys; undefined for anything richer. */
function jsonPath(path: unknown): OutputPath | undefined {
  return typeof path === 'string' && path.startsWith('$') ? parseOutputPath(path) : undefined;
}

function speakeasyPagination(value: unknown, draft: Draft): ImportedPagination | string {
  if (!isObject(value)) return 'not an object';
  const inputs = Array.isArray(value.inputs) ? value.inputs.filter(isObject) : [];
  const outputs = isObject(value.outputs) ? value.outputs : {};
  const input = (type: string) => inputs.find((i) => i.type === type);
  const inBody = inputs.find((i) => i.in !== 'parameters');
  if (inBody) return `inputs in ${String(inBody.in)} are not supported (query parameters are)`;
  const param = (type: string) => {
    const found = input(type);
    return found && typeof found.name === 'string' ? found.name : undefined;
  };
  const path = (name: string) => {
    const given = outputs[name];
    if (given === undefined) return undefined;
    return jsonPath(given) ?? `outputs.${name}: only simple JSONPaths ($.a.b, $.a[-1].b) are supported`;
  };
  let declaration: ImportedPagination;
  switch (value.type) {
    case 'offsetLimit': {
      const results = path('results');
      if (typeof results === 'string') return results;
      const limitParam = param('limit');
      const page = param('page');
      const offset = param('offset');
      if (page !== undefined) {
        if (!results) return 'outputs.results is needed (numPages is not supported)';
        declaration = { style: 'page-number', param: page, results, ...(limitParam ? { limitParam } : {}) };
      } else if (offset !== undefined) {
        if (!results) return 'outputs.results is needed';
        declaration = { style: 'offset', param: offset, results, ...(limitParam ? { limitParam } : {}) };
      } else return 'offsetLimit needs a page or an offset input';
      break;
    }
    case 'cursor': {
      const next = path('nextCursor');
      const cursor = param('cursor');
      if (typeof next === 'string') return next;
      if (!next || !cursor) return 'cursor needs a cursor input and outputs.nextCursor';
      declaration = { style: 'cursor', param: cursor, next };
      break;
    }
    case 'url': {
      const next = path('nextUrl');
      if (typeof next === 'string') return next;
      if (!next) return 'url needs outputs.nextUrl';
      declaration = { style: 'next-url', next };
      break;
    }
    default:
      return `type ${String(value.type)} is not supported (offsetLimit, cursor and url are)`;
  }
  const query = new Set(draft.parameters.filter((p) => p.in === 'query').map((p) => p.name));
  for (const key of ['param', 'limitParam'] as const) {
    const name = (declaration as Partial<Record<typeof key, string>>)[key];
    if (name !== undefined && !query.has(name)) return `input "${name}" is not a query parameter of the operation`;
  }
  return declaration;
}

function deref(root: Json, value: unknown): unknown {
  let current = value;
  for (let hops = 0; hops < 16 && isObject(current) && typeof current.$ref === 'string'; hops++) current = resolvePointer(root, current.$ref);
  return current;
}

function declaresLinkHeader(root: Json, responses: unknown): boolean {
  if (!isObject(responses)) return false;
  return Object.entries(responses).some(([code, response]) => {
    const resolved = deref(root, response);
    return /^2(\d\d|XX)$/i.test(code) && isObject(resolved) && isObject(resolved.headers) && Object.keys(resolved.headers).some((name) => name.toLowerCase() === 'link');
  });
}

/** The output's fields to depth 3, with their schemas ($refs and allOf followed), breadth first. */
function fieldsOf(root: Json, schema: unknown): Array<{ path: OutputPath; schema: Json }> {
  const found: Array<{ path: OutputPath; schema: Json }> = [];
  const queue: Array<{ path: OutputPath; schema: unknown }> = [{ path: [], schema }];
  const seen = new Set<unknown>();
  while (queue.length > 0 && found.length < 500) {
    const { path, schema: raw } = queue.shift()!;
    const node = deref(root, raw);
    if (!isObject(node) || seen.has(node) || path.length >= 3) continue;
    seen.add(node);
    const parts = [node, ...(Array.isArray(node.allOf) ? node.allOf.map((part) => deref(root, part)) : [])].filter(isObject);
    for (const part of parts) {
      for (const [name, sub] of Object.entries(isObject(part.properties) ? part.properties : {})) {
        const resolved = deref(root, sub);
        if (!isObject(resolved)) continue;
        found.push({ path: [...path, name], schema: resolved });
        queue.push({ path: [...path, name], schema: resolved });
      }
    }
  }
  return found;
}

const typeOf = (schema: Json): unknown => (Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type);
const last = (path: OutputPath) => path[path.length - 1] ?? '';

function fromFields(root: Json, draft: Draft): ImportedPagination | undefined {
  const query = draft.parameters.filter((p) => p.in === 'query').map((p) => p.name);
  const fields = fieldsOf(root, draft.output);
  const strings = fields.filter((f) => typeOf(f.schema) === 'string' || typeOf(f.schema) === undefined);
  const cursor = CURSOR_PARAMS.find((name) => query.includes(name));
  if (cursor) {
    const next =
      NEXT_CURSOR_FIELDS.map((name) => strings.find((f) => last(f.path) === name)).find(Boolean) ??
      // HubSpot's `paging.next.after`: the parameter's own name under `next`.
      strings.find((f) => last(f.path) === cursor && f.path[f.path.length - 2] === 'next');
    if (next) return { style: 'cursor', param: cursor, next: next.path };
  }
  const nextUrl =
    NEXT_URL_FIELDS.map((name) => strings.find((f) => last(f.path) === name)).find(Boolean) ??
    strings.find((f) => last(f.path) === 'next' && (f.schema.format === 'uri' || f.schema.format === 'url' || ['links', '_links'].includes(f.path[f.path.length - 2] ?? ''))) ??
    strings.find((f) => last(f.path) === 'href' && f.path[f.path.length - 2] === 'next' && ['links', '_links'].includes(f.path[f.path.length - 3] ?? ''));
  if (nextUrl) return { style: 'next-url', next: nextUrl.path };
  const limitParam = LIMIT_PARAMS.find((name) => query.includes(name));
  const page = PAGE_PARAMS.find((name) => query.includes(name));
  if (page) {
    const hasMore = HAS_MORE_FIELDS.map((name) => fields.find((f) => last(f.path) === name && typeOf(f.schema) === 'boolean')).find(Boolean);
    if (hasMore) return { style: 'page-number', param: page, hasMore: hasMore.path };
  }
  const offset = OFFSET_PARAMS.find((name) => query.includes(name));
  if (offset && limitParam) {
    const output = deref(root, draft.output);
    const arrays = fields.filter((f) => f.path.length <= 2 && typeOf(f.schema) === 'array');
    if (isObject(output) && typeOf(output) === 'array') return { style: 'offset', param: offset, limitParam, results: [] };
    if (arrays.length === 1) return { style: 'offset', param: offset, limitParam, results: arrays[0]!.path };
  }
  return undefined;
}
