import { z } from 'zod';
import { defineConnector } from '../framework/connector';
import { shopify } from './application';
import { evaluateShopify } from './errors';
import { listInput, listQuery, pageInfoPagination, sharedListQuery } from './page-info';
import { Order } from './schemas';

/** https://shopify.dev/docs/api/admin-rest/latest/resources/order#get-orders */
export const listOrders = defineConnector({
  application: shopify,
  name: 'listOrders',
  description: "One page of the shop's orders (any status unless one is given), by Link page_info",
  input: listInput({
    /** Shopify's own default is `open`; `any` includes closed and cancelled orders. */
    status: z.enum(['open', 'closed', 'cancelled', 'any']).optional(),
    financialStatus: z.enum(['authorized', 'pending', 'paid', 'partially_paid', 'refunded', 'voided', 'partially_refunded', 'any', 'unpaid']).optional(),
    fulfillmentStatus: z.enum(['shipped', 'partial', 'unshipped', 'any', 'unfulfilled']).optional(),
  }),
  output: z.array(Order),
  request: (input) => ({
    method: 'GET',
    path: '/orders.json',
    query: listQuery(input.limit, input.pageInfo, {
      status: input.status ?? 'any',
      financial_status: input.financialStatus,
      fulfillment_status: input.fulfillmentStatus,
      ...sharedListQuery(input),
    }),
  }),
  evaluate: evaluateShopify('shopify.listOrders', 'orders'),
  pagination: () => pageInfoPagination(),
});
