/**
 * Pagination styles, as small values a connector declares: given the input that fetched a page and
 * what came back, each says how to fetch the next page, or that there is none. Flows then page with
 * `connectors.<app>.<action>.pages(channelId, input)`, one activity per page. Imported actions get
 * theirs from their document or application file (connectors/openapi/imported-paginator.ts).
 */
import type { ConnectorResponse } from './evaluate';

/** How to fetch the next page: new input, or (Link header style) an absolute URL on the same origin. */
export interface NextPage {
  input: unknown;
  url?: string;
}

export interface PageContext<I, O> {
  input: I;
  output: O;
  response: ConnectorResponse;
}

export interface Paginator<I = never, O = never> {
  style: 'page-number' | 'offset' | 'cursor' | 'link-header' | 'next-url';
  next(context: PageContext<I, O>): NextPage | undefined;
}

type Numeric<I> = { [K in keyof I]: I[K] extends number | undefined ? K : never }[keyof I] & string;

/** `?page=1,2,3…` until `hasMore` says no. */
export function pageNumber<I, O>(options: { param: Numeric<I>; hasMore: (output: O) => boolean; first?: number }): Paginator<I, O> {
  return {
    style: 'page-number',
    next: ({ input, output }) => {
      if (!options.hasMore(output)) return undefined;
      const current = Number((input as Record<string, unknown>)[options.param] ?? options.first ?? 1);
      return { input: { ...input, [options.param]: current + 1 } };
    },
  };
}

/** `?offset=0&limit=50`, then 50, 100… while a page comes back full. */
export function offset<I, O>(options: { param: Numeric<I>; limitParam: Numeric<I>; count: (output: O) => number }): Paginator<I, O> {
  return {
    style: 'offset',
    next: ({ input, output }) => {
      const record = input as Record<string, unknown>;
      const limit = Number(record[options.limitParam]);
      const got = options.count(output);
      if (!limit || got < limit) return undefined;
      return { input: { ...input, [options.param]: Number(record[options.param] ?? 0) + got } };
    },
  };
}

/** `?cursor=<token>` with the token the last page returned, until it returns none. */
export function cursor<I, O>(options: { param: keyof I & string; next: (output: O) => string | null | undefined }): Paginator<I, O> {
  return {
    style: 'cursor',
    next: ({ input, output }) => {
      const token = options.next(output);
      return token ? { input: { ...input, [options.param]: token } } : undefined;
    },
  };
}

/** RFC 8288 `Link: <…>; rel="next"` (GitHub and many others). */
export function linkHeader<I, O>(): Paginator<I, O> {
  return {
    style: 'link-header',
    next: ({ input, response }) => {
      const link = nextLink(response.headers.get('link'));
      // RFC 8288: a relative target resolves against the URL the answer came from.
      return link ? { input, url: response.url ? new URL(link, response.url).toString() : link } : undefined;
    },
  };
}

/** The next page's URL in the answer's body (`links.next`, `@odata.nextLink`), until there is none; relative to the page's URL. */
export function nextUrl<I, O>(options: { next: (output: O) => string | null | undefined }): Paginator<I, O> {
  return {
    style: 'next-url',
    next: ({ input, output, response }) => {
      const link = options.next(output);
      return link ? { input, url: response.url ? new URL(link, response.url).toString() : link } : undefined;
    },
  };
}

export function nextLink(header: string | null): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>(.*)$/.exec(part);
    if (match && /;\s*rel="?([^";]*\s)?next(\s[^";]*)?"?/i.test(match[2]!)) return match[1];
  }
  return undefined;
}

/** The helpers, typed for one connector's input and output, as `pagination: (p) => p.cursor({…})` receives them. */
export interface PaginationHelpers<I, O> {
  pageNumber(options: { param: Numeric<I>; hasMore: (output: O) => boolean; first?: number }): Paginator<I, O>;
  offset(options: { param: Numeric<I>; limitParam: Numeric<I>; count: (output: O) => number }): Paginator<I, O>;
  cursor(options: { param: keyof I & string; next: (output: O) => string | null | undefined }): Paginator<I, O>;
  linkHeader(): Paginator<I, O>;
  nextUrl(options: { next: (output: O) => string | null | undefined }): Paginator<I, O>;
}

export const paginationHelpers: PaginationHelpers<never, never> = { pageNumber, offset, cursor, linkHeader, nextUrl };
