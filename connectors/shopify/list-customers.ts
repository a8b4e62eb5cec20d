import { z } from 'zod';
import { defineConnector } from '../framework/connector';
import { shopify } from './application';
import { evaluateShopify } from './errors';
import { filtersBesidePageInfo, listQuery, pageInfoPagination } from './page-info';
import { Customer, ShopifyIdInput } from './schemas';

const Instant = z.iso.datetime({ offset: true });
const FILTERS = ['updatedAtMin', 'updatedAtMax', 'createdAtMin', 'createdAtMax', 'sinceId', 'ids'] as const;

/** https://shopify.dev/docs/api/admin-rest/latest/resources/customer#get-customers */
export const listCustomers = defineConnector({
  application: shopify,
  name: 'listCustomers',
  description: "One page of the shop's customers, by Link page_info",
  input: z
    .object({
      updatedAtMin: Instant.optional(),
      updatedAtMax: Instant.optional(),
      createdAtMin: Instant.optional(),
      createdAtMax: Instant.optional(),
      sinceId: ShopifyIdInput.optional(),
      ids: z.array(ShopifyIdInput).min(1).max(250).optional(),
      limit: z.number().int().min(1).max(250).default(50),
      /** The next page's cursor from a Link header; `.pages()` sets it. With it, only `limit` may be given. */
      pageInfo: z.string().min(1).max(2048).optional(),
    })
    .superRefine((input, ctx) => {
      for (const name of filtersBesidePageInfo(input, FILTERS)) ctx.addIssue({ code: 'custom', path: [name], message: "not with pageInfo: the page_info carries the first request's filters" });
    }),
  output: z.array(Customer),
  request: (input) => ({
    method: 'GET',
    path: '/customers.json',
    query: listQuery(input.limit, input.pageInfo, {
      updated_at_min: input.updatedAtMin,
      updated_at_max: input.updatedAtMax,
      created_at_min: input.createdAtMin,
      created_at_max: input.createdAtMax,
      since_id: input.sinceId,
      ids: input.ids?.join(','),
    }),
  }),
  evaluate: evaluateShopify('shopify.listCustomers', 'customers'),
  pagination: () => pageInfoPagination(),
});
