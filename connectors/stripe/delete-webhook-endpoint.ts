import { z } from 'zod';
import { defineStripeConnector } from './connector';
import { DeletedWebhookEndpoint, objectId } from './schemas';

/** DELETE /v1/webhook_endpoints/:id (https://docs.stripe.com/api/webhook_endpoints/delete). */
export const deleteWebhookEndpoint = defineStripeConnector({
  name: 'deleteWebhookEndpoint',
  description: 'Delete a webhook endpoint',
  input: z.object({ webhookEndpointId: objectId('we_') }),
  output: DeletedWebhookEndpoint,
  request: ({ webhookEndpointId }) => ({ method: 'DELETE', path: `/v1/webhook_endpoints/${webhookEndpointId}` }),
});
