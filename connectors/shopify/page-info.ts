/**
 * Shopify's cursor pagination (https://shopify.dev/docs/api/usage/pagination-rest): an answer's
 * `Link` header names the next page as `<…/orders.json?limit=50&page_info=…>; rel="next"`. The
 * `page_info` carries the first request's filters, and a request with it may send nothing but
 * `limit` (and `fields`): Shopify refuses any other parameter there with 400.
 *
 * So the next page is the connector's own input with only `limit` and the `pageInfo` from the
 * link, not the link's URL: the request goes to the channel's base URL (a proxy in front of the
 * shop still gets it) and the connector sends exactly what Shopify allows.
 */
import type { Paginator } from '../framework/pagination';
import { nextLink } from '../framework/pagination';

/** The `page_info` of the `rel="next"` link, if there is one. */
export function nextPageInfo(link: string | null): string | undefined {
  const target = nextLink(link);
  if (!target || !URL.canParse(target, 'https://shop.invalid')) return undefined;
  return new URL(target, 'https://shop.invalid').searchParams.get('page_info') ?? undefined;
}

export function pageInfoPagination<I extends { limit: number; pageInfo?: string }, O>(): Paginator<I, O> {
  return {
    style: 'link-header',
    next: ({ input, response }) => {
      const pageInfo = nextPageInfo(response.headers.get('link'));
      return pageInfo ? { input: { limit: input.limit, pageInfo } } : undefined;
    },
  };
}

/** The query of a list request: its filters on the first page, only `limit` and `page_info` after. */
export function listQuery(limit: number, pageInfo: string | undefined, filters: Record<string, string | number | undefined>): Record<string, string | number> {
  if (pageInfo !== undefined) return { limit, page_info: pageInfo };
  const query: Record<string, string | number> = { limit };
  for (const [name, value] of Object.entries(filters)) if (value !== undefined) query[name] = value;
  return query;
}

/** For the inputs' refinement: with `pageInfo`, any filter given is an error naming it. */
export function filtersBesidePageInfo(input: Record<string, unknown>, filters: readonly string[]): string[] {
  return input.pageInfo === undefined ? [] : filters.filter((name) => input[name] !== undefined);
}
