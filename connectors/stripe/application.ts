/**
 * Stripe (https://docs.stripe.com/api): a secret or restricted key as a bearer token, every request
 * pinned to one API version (`Stripe-Version`), form-encoded bodies, `Idempotency-Key` on writes,
 * and webhooks signed with `Stripe-Signature` whose delivery id is the event id in the signed body.
 */
import { z } from 'zod';
import { defineApplication } from '../../applications/framework/application';
import { secret } from '../../applications/framework/secret';
import { stripeSignature } from '../../applications/framework/webhook-signature';

/** The API version the installed `stripe` package pins (`Stripe.API_VERSION`); a test keeps them equal. */
export const STRIPE_API_VERSION = '2026-10-28.endive';

export const stripe = defineApplication({
  name: 'stripe',
  title: 'Stripe',
  settings: z.object({
    baseUrl: z.url().default('https://api.stripe.com').describe('Stripe API, https://api.stripe.com unless a proxy stands in front of it'),
    apiVersion: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}(\.[a-z]+)?$/, 'a Stripe API version such as 2024-06-20 or 2026-10-28.endive')
      .default(STRIPE_API_VERSION)
      .describe('Sent as Stripe-Version on every request, so the account default cannot change the shapes under a flow'),
    hubspotChannelId: z.string().min(1).optional().describe('The hubspot channel (engine channel id) stripeInvoicePaidToHubSpot moves deals through'),
    hubspotDealStage: z.string().min(1).max(100).optional().describe("The deal stage id a paid invoice's deal moves to, e.g. closedwon"),
    hubspotInvoiceProperty: z
      .string()
      .regex(/^[a-z0-9_]{1,100}$/i, 'an internal HubSpot property name')
      .optional()
      .describe('A deal property holding the Stripe invoice id: how a paid invoice without metadata.hubspot_deal_id finds its deal'),
  }),
  credentials: z.object({
    secretKey: secret('Secret (sk_…) or restricted (rk_…) key, sent as a bearer token'),
    webhookSecret: secret("The webhook endpoint's signing secret (whsec_…), as Stripe shows it once when the endpoint is created").optional(),
  }),
  baseUrl: (settings) => settings.baseUrl,
  // Stripe's own host; loopback for the tests' fake (http and any port allowed there).
  allowedHosts: ['api.stripe.com', 'localhost', '127.0.0.1'],
  auth: { kind: 'bearer', token: (credentials) => credentials.secretKey },
  // Stripe-Version comes from the channel's settings, which only the request hook sees.
  requestHook: (request, { settings }) => {
    request.headers['stripe-version'] = settings.apiVersion;
  },
  headers: { accept: 'application/json' },
  timeoutMs: 30_000,
  idempotencyKeyHeader: 'Idempotency-Key',
  webhooks: {
    // Stripe's SDK tolerates 300 s by default; the event id (`evt_…`) in the signed body is the delivery id.
    signature: stripeSignature({ toleranceSeconds: 300 }),
    secret: (credentials) => credentials.webhookSecret,
  },
});
