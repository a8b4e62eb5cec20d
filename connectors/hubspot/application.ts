/**
 * HubSpot's CRM API (https://developers.hubspot.com/docs/api-reference/crm) as an application.
 *
 * Auth: a private app's access token, sent as `Authorization: Bearer` (HubSpot's own
 * recommendation for one account's integration; its OAuth 2.0 apps end in the same bearer header).
 *
 * Limits: 100 requests per 10 seconds per account (private apps on Free and Starter; Professional
 * and Enterprise allow more, a public OAuth app 110), so 10/s per channel, one channel being one
 * account. HubSpot's 429 answers say which of its limits was hit (`policyName`) and errors.ts waits
 * accordingly. Webhooks: the v3 signature keyed with the app's client secret (`webhookSecret`).
 * HubSpot has no API to subscribe an endpoint: the target URL and the subscriptions are set on the
 * app in HubSpot's developer portal, for every account that installs it.
 */
import { z } from 'zod';
import { defineApplication } from '../../applications/framework/application';
import { secret } from '../../applications/framework/secret';
import { hubspotSignature } from '../../applications/framework/webhook-signature';

export const HUBSPOT_API_URL = 'https://api.hubapi.com';

export const HubSpotSettings = z.object({
  baseUrl: z.url().default(HUBSPOT_API_URL).describe('HubSpot API root: https://api.hubapi.com, unless a proxy or a test stands in'),
});

export const HubSpotCredentials = z.object({
  accessToken: secret("A private app's access token (pat-…), from Settings → Integrations → Private apps; sent as a bearer token"),
  webhookSecret: secret("The app's client secret: HubSpot signs webhook requests with it (X-HubSpot-Signature-v3)").optional(),
});

export type HubSpotSettings = z.output<typeof HubSpotSettings>;
export type HubSpotCredentials = z.output<typeof HubSpotCredentials>;

export const hubspot = defineApplication({
  name: 'hubspot',
  title: 'HubSpot',
  settings: HubSpotSettings,
  credentials: HubSpotCredentials,
  baseUrl: (settings) => settings.baseUrl.replace(/\/+$/, ''),
  // The API's host and the one HubSpot's OAuth consent page lives on; loopback for the tests' fake.
  allowedHosts: ['api.hubapi.com', 'app.hubspot.com', 'localhost', '127.0.0.1'],
  auth: { kind: 'bearer', token: (credentials) => credentials.accessToken },
  headers: { accept: 'application/json' },
  timeoutMs: 30_000,
  // https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines: 100 per 10 s per account.
  rateLimit: { requestsPerSecond: 10, scope: 'channel' },
  webhooks: {
    signature: hubspotSignature(),
    secret: (credentials) => credentials.webhookSecret,
  },
});
