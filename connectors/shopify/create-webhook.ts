import { z } from 'zod';
import { defineConnector } from '../framework/connector';
import { shopify } from './application';
import { evaluateShopify } from './errors';
import { Topic, Webhook } from './schemas';

/**
 * https://shopify.dev/docs/api/admin-rest/latest/resources/webhook#post-webhooks (a channel's
 * webhook flows do this themselves when it is enabled). Shopify signs the deliveries with the
 * app's client secret: there is no secret per subscription.
 */
export const createWebhook = defineConnector({
  application: shopify,
  name: 'createWebhook',
  description: 'Subscribe an https address to one topic (JSON deliveries)',
  input: z.object({ topic: Topic, address: z.url() }),
  output: Webhook,
  request: ({ topic, address }) => ({ method: 'POST', path: '/webhooks.json', body: { webhook: { topic, address, format: 'json' } } }),
  evaluate: evaluateShopify('shopify.createWebhook', 'webhook'),
});
