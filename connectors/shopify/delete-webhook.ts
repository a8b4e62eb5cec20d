import { z } from 'zod';
import { defineConnector } from '../framework/connector';
import { shopify } from './application';
import { evaluateShopify } from './errors';
import { ShopifyIdInput } from './schemas';

/** https://shopify.dev/docs/api/admin-rest/latest/resources/webhook#delete-webhooks-webhook-id */
export const deleteWebhook = defineConnector({
  application: shopify,
  name: 'deleteWebhook',
  description: 'Remove a webhook subscription',
  input: z.object({ webhookId: ShopifyIdInput }),
  output: z.object({ deleted: z.literal(true) }),
  request: ({ webhookId }) => ({ method: 'DELETE', path: `/webhooks/${webhookId}.json` }),
  // 200 with `{}`.
  evaluate: (response) => (evaluateShopify('shopify.deleteWebhook')(response), { deleted: true as const }),
});
