import { z } from 'zod';
import { form } from '../framework/http/body';
import { defineStripeConnector } from './connector';
import { WebhookEndpoint } from './schemas';

/**
 * POST /v1/webhook_endpoints (https://docs.stripe.com/api/webhook_endpoints/create). Stripe makes
 * the signing secret and answers it once, as `secret`: store it as the channel's `webhookSecret`
 * (PATCH /channels/:id). The answer is the run's output, so it is in the run's history: use the
 * payload codec where histories must not hold secrets in the clear.
 */
export const createWebhookEndpoint = defineStripeConnector({
  name: 'createWebhookEndpoint',
  description: 'Create a webhook endpoint; its signing secret comes back once, as secret',
  input: z.object({
    url: z.url({ protocol: /^https?$/ }),
    enabledEvents: z.array(z.string().min(1)).min(1).describe("Event types such as invoice.paid, or ['*']"),
    description: z.string().max(5000).optional(),
    apiVersion: z.string().optional().describe('The API version events are rendered in (default: the account default)'),
    metadata: z.record(z.string().max(40), z.string().max(500)).optional(),
  }),
  output: WebhookEndpoint,
  request: ({ url, enabledEvents, description, apiVersion, metadata }) => ({
    method: 'POST',
    path: '/v1/webhook_endpoints',
    body: form({ url, enabled_events: enabledEvents, description, api_version: apiVersion, metadata }),
  }),
});
