/**
 * The demo mailer in `demo/` (an e-mail marketing tool on loopback, think Mailchimp): bearer-token
 * API, and webhooks signed with HMAC-SHA256 that the engine subscribes to when a channel is
 * enabled. Its channels name the CRM channel they keep in step with (two-way sync).
 */
import { z } from 'zod';
import { defineApplication } from '../../applications/framework/application';
import { secret } from '../../applications/framework/secret';
import { hmacSha256 } from '../../applications/framework/webhook-signature';

export const demoMailer = defineApplication({
  name: 'demo-mailer',
  title: 'Demo mailer',
  settings: z.object({
    baseUrl: z.url().describe('Where the mailer API lives, e.g. http://127.0.0.1:4020'),
    crmChannelId: z.string().min(1).describe('The demo-crm channel whose contacts this mailer account mirrors, both ways'),
  }),
  credentials: z.object({
    apiToken: secret('API token, sent as a bearer token'),
    webhookSecret: secret('Secret the mailer signs its webhooks with (at least 8 characters)'),
  }),
  baseUrl: (settings) => settings.baseUrl,
  auth: { kind: 'bearer', token: (credentials) => credentials.apiToken },
  headers: { accept: 'application/json' },
  timeoutMs: 10_000,
  idempotencyKeyHeader: 'Idempotency-Key',
  webhooks: {
    signature: hmacSha256({ header: 'x-mailer-signature', encoding: 'hex', prefix: 'sha256=' }),
    secret: (credentials) => credentials.webhookSecret,
    subscription: {
      register: ({ url, secret: webhookSecret }) => ({
        method: 'POST',
        path: '/v1/webhook-subscriptions',
        body: { url, secret: webhookSecret, events: ['contact.created', 'contact.updated', 'contact.deleted'] },
      }),
      subscriptionId: (body) => z.object({ id: z.string() }).parse(body).id,
      remove: (id) => ({ method: 'DELETE', path: `/v1/webhook-subscriptions/${encodeURIComponent(id)}` }),
    },
  },
});
