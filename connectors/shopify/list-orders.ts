import { z } from 'zod';
import { defineConnector } from '../framework/connector';
import { shopify } from './application';
import { evaluateShopify } from './errors';
import { filtersBesidePageInfo, listQuery, pageInfoPagination } from './page-info';
import { Order, ShopifyIdInput } from './schemas';

const Instant = z.iso.datetime({ offset: true });
const FILTERS = ['status', 'updatedAtMin', 'updatedAtMax', 'createdAtMin', 'createdAtMax', 'financialStatus', 'fulfillmentStatus', 'sinceId', 'ids'] as const;

/** https://shopify.dev/docs/api/admin-rest/latest/resources/order#get-orders */
export const listOrders = defineConnector({
  application: shopify,
  name: 'listOrders',
  description: "One page of the shop's orders (any status unless one is given), by Link page_info",
  input: z
    .object({
      /** Shopify's own default is `open`; `any` includes closed and cancelled orders. */
      status: z.enum(['open', 'closed', 'cancelled', 'any']).optional(),
      /** Orders changed at or after this time: an incremental sync's cursor. */
      updatedAtMin: Instant.optional(),
      updatedAtMax: Instant.optional(),
      createdAtMin: Instant.optional(),
      createdAtMax: Instant.optional(),
      financialStatus: z.enum(['authorized', 'pending', 'paid', 'partially_paid', 'refunded', 'voided', 'partially_refunded', 'any', 'unpaid']).optional(),
      fulfillmentStatus: z.enum(['shipped', 'partial', 'unshipped', 'any', 'unfulfilled']).optional(),
      /** Orders after this id, in id order. */
      sinceId: ShopifyIdInput.optional(),
      ids: z.array(ShopifyIdInput).min(1).max(250).optional(),
      limit: z.number().int().min(1).max(250).default(50),
      /** The next page's cursor from a Link header; `.pages()` sets it. With it, only `limit` may be given. */
      pageInfo: z.string().min(1).max(2048).optional(),
    })
    .superRefine((input, ctx) => {
      for (const name of filtersBesidePageInfo(input, FILTERS)) ctx.addIssue({ code: 'custom', path: [name], message: "not with pageInfo: the page_info carries the first request's filters" });
    }),
  output: z.array(Order),
  request: (input) => ({
    method: 'GET',
    path: '/orders.json',
    query: listQuery(input.limit, input.pageInfo, {
      status: input.status ?? 'any',
      updated_at_min: input.updatedAtMin,
      updated_at_max: input.updatedAtMax,
      created_at_min: input.createdAtMin,
      created_at_max: input.createdAtMax,
      financial_status: input.financialStatus,
      fulfillment_status: input.fulfillmentStatus,
      since_id: input.sinceId,
      ids: input.ids?.join(','),
    }),
  }),
  evaluate: evaluateShopify('shopify.listOrders', 'orders'),
  pagination: () => pageInfoPagination(),
});
