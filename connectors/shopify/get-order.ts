import { z } from 'zod';
import { defineConnector } from '../framework/connector';
import { shopify } from './application';
import { evaluateShopify } from './errors';
import { Order, ShopifyIdInput } from './schemas';

/** https://shopify.dev/docs/api/admin-rest/latest/resources/order#get-orders-order-id */
export const getOrder = defineConnector({
  application: shopify,
  name: 'getOrder',
  description: 'One order by its id (digits, or its gid://shopify/Order/…)',
  input: z.object({ orderId: ShopifyIdInput }),
  output: Order,
  request: ({ orderId }) => ({ method: 'GET', path: `/orders/${orderId}.json` }),
  evaluate: evaluateShopify('shopify.getOrder', 'order'),
});
