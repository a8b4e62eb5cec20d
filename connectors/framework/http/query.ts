/**
 * Query parameters serialised the way OpenAPI 3 describes them (style and explode), so arrays and
 * objects arrive as the remote expects: `?tag=a&tag=b` by default, `filter[status]=open` for
 * deepObject, `a b` or `a|b` for the delimited styles. Used by hand-written connectors (through
 * `RequestSpec.queryStyles`) and by OpenAPI-imported ones (from each parameter's declaration).
 * https://spec.openapis.org/oas/v3.1.0#style-values
 */
export type QueryPrimitive = string | number | boolean;
/** One parameter's value: a primitive, an array of primitives, or an object of primitives. `undefined` leaves it out. */
export type QueryValue = QueryPrimitive | readonly QueryPrimitive[] | { readonly [key: string]: QueryPrimitive | undefined } | undefined;

export interface QueryStyle {
  style: 'form' | 'spaceDelimited' | 'pipeDelimited' | 'deepObject';
  /** OpenAPI's default: true for form, false for the others. */
  explode?: boolean;
}

const FORM_EXPLODE: QueryStyle = { style: 'form', explode: true };

// RFC 3986 unreserved characters stay; everything else is percent-encoded (URLSearchParams would
// turn spaces into '+', which many servers outside HTML forms read literally).
const encode = (value: QueryPrimitive | string): string => encodeURIComponent(String(value)).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function pairs(name: string, value: Exclude<QueryValue, undefined>, { style, explode = style === 'form' }: QueryStyle): Array<[string, string]> {
  if (Array.isArray(value)) {
    const items = value as readonly QueryPrimitive[];
    if (items.length === 0) return [];
    if (style === 'form' && explode) return items.map((item) => [encode(name), encode(item)]);
    if (style === 'deepObject') throw new Error(`query parameter ${name}: deepObject style needs an object, not an array`);
    const separator = style === 'spaceDelimited' ? '%20' : style === 'pipeDelimited' ? '|' : ',';
    return [[encode(name), items.map(encode).join(separator)]];
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value).filter((entry): entry is [string, QueryPrimitive] => entry[1] !== undefined);
    if (style === 'deepObject') return entries.map(([key, item]) => [`${encode(name)}[${encode(key)}]`, encode(item)]);
    if (style === 'form' && explode) return entries.map(([key, item]) => [encode(key), encode(item)]);
    if (style !== 'form') throw new Error(`query parameter ${name}: ${style} style needs an array, not an object`);
    return [[encode(name), entries.flatMap(([key, item]) => [encode(key), encode(item)]).join(',')]];
  }
  return [[encode(name), encode(value)]];
}

/** `a=1&tag=x&tag=y` (no leading `?`); parameters whose value is undefined are left out. */
export function serializeQuery(query: Readonly<Record<string, QueryValue>>, styles: Readonly<Record<string, QueryStyle>> = {}): string {
  return Object.entries(query)
    .flatMap(([name, value]) => (value === undefined ? [] : pairs(name, value, styles[name] ?? FORM_EXPLODE)))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
}

/**
 * The URL with the query added to any it already has (a next-page link carries its own). A
 * parameter named in both is taken from `query`: auth's API key replaces one a link echoes back.
 */
export function withQuery(url: string, query: Readonly<Record<string, QueryValue>>, styles?: Readonly<Record<string, QueryStyle>>): URL {
  const result = new URL(url);
  const extra = serializeQuery(query, styles);
  if (!extra) return result;
  // Only when present: deleting re-serialises the whole query, which would re-encode a cursor.
  for (const name of Object.keys(query)) if (query[name] !== undefined && result.searchParams.has(name)) result.searchParams.delete(name);
  result.search = result.search ? `${result.search}&${extra}` : `?${extra}`;
  return result;
}
