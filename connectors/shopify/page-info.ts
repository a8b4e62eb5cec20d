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
import { z } from 'zod';
import { ShopifyIdInput } from './schemas';
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

const Instant = z.iso.datetime({ offset: true });

/** The filters every REST list takes (orders, products, customers). */
const SHARED_FILTERS = {
  /** Changed at or after this time: an incremental sync's cursor. */
  updatedAtMin: Instant.optional(),
  updatedAtMax: Instant.optional(),
  createdAtMin: Instant.optional(),
  createdAtMax: Instant.optional(),
  /** After this id, in id order. */
  sinceId: ShopifyIdInput.optional(),
  ids: z.array(ShopifyIdInput).min(1).max(250).optional(),
};

/**
 * A list's input: its own filters, the shared ones, `limit` and `pageInfo`. With `pageInfo`, any
 * filter given is refused naming it, since Shopify refuses it beside page_info.
 */
export function listInput<F extends z.ZodRawShape>(filters: F) {
  const names = [...Object.keys(filters), ...Object.keys(SHARED_FILTERS)];
  return z
    .object({
      ...filters,
      ...SHARED_FILTERS,
      limit: z.number().int().min(1).max(250).default(50),
      /** The next page's cursor from a Link header; `.pages()` sets it. With it, only `limit` may be given. */
      pageInfo: z.string().min(1).max(2048).optional(),
    })
    .superRefine((input, ctx) => {
      for (const name of filtersBesidePageInfo(input, names)) ctx.addIssue({ code: 'custom', path: [name], message: "not with pageInfo: the page_info carries the first request's filters" });
    });
}

/** The shared filters as Shopify's query parameters. */
export function sharedListQuery(input: {
  updatedAtMin?: string;
  updatedAtMax?: string;
  createdAtMin?: string;
  createdAtMax?: string;
  sinceId?: string;
  ids?: string[];
}): Record<string, string | undefined> {
  return {
    updated_at_min: input.updatedAtMin,
    updated_at_max: input.updatedAtMax,
    created_at_min: input.createdAtMin,
    created_at_max: input.createdAtMax,
    since_id: input.sinceId,
    ids: input.ids?.join(','),
  };
}
