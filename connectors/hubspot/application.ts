/**
 * HubSpot's CRM API (https://developers.hubspot.com/docs/api-reference/crm) as an application. A
 * channel authenticates in one of two ways, chosen by which credentials it gives:
 *
 * - `accessToken`: a private app's access token (one account's own integration), sent as a bearer
 *   token;
 * - `clientId` and `clientSecret`: a public app. The channel is connected through the engine's
 *   OAuth connect link (authorization code: consent at app.hubspot.com/oauth/authorize, tokens
 *   from api.hubapi.com/oauth/v1/token); its access token (30 minutes) is refreshed with the
 *   refresh token, and both are kept sealed.
 *
 * Limits: 100 requests per 10 seconds per account (private apps on Free and Starter; Professional
 * and Enterprise allow more, a public OAuth app 110), so 10/s per channel, one channel being one
 * account. HubSpot's 429 answers say which of its limits was hit (`policyName`) and errors.ts waits
 * accordingly. Webhooks: the v3 signature keyed with the app's client secret (`webhookSecret`, else
 * an OAuth channel's `clientSecret`, which is the same secret). HubSpot has no API to subscribe an
 * endpoint: the target URL and the subscriptions are set on the app in HubSpot's developer portal,
 * for every account that installs it.
 */
import { z } from 'zod';
import { defineApplication } from '../../applications/framework/application';
import { oneOf, type AuthMethod } from '../../applications/framework/auth';
import { secret } from '../../applications/framework/secret';
import { hubspotSignature } from '../../applications/framework/webhook-signature';

export const HUBSPOT_API_URL = 'https://api.hubapi.com';
export const HUBSPOT_APP_URL = 'https://app.hubspot.com';

export const HubSpotSettings = z.object({
  baseUrl: z.url().default(HUBSPOT_API_URL).describe('HubSpot API root: https://api.hubapi.com, unless a proxy or a test stands in'),
  appUrl: z.url().default(HUBSPOT_APP_URL).describe("HubSpot's web app, where an OAuth channel's owner consents (/oauth/authorize): https://app.hubspot.com"),
  sheetsChannelId: z.string().min(1).optional().describe('The google-sheets channel (engine channel id) syncHubSpotContactsToSheet keeps the contacts in'),
  contactsSheet: z.string().min(1).max(100).optional().describe("Sheet (tab) title syncHubSpotContactsToSheet writes; else that Google Sheets channel's `sheet`"),
});

export const HubSpotCredentials = z
  .object({
    accessToken: secret("A private app's access token (pat-…), from Settings → Integrations → Private apps; sent as a bearer token").optional(),
    clientId: z.string().min(1).optional().describe("A public app's client id: the channel is then connected through its OAuth connect link"),
    clientSecret: secret("The public app's client secret").optional(),
    webhookSecret: secret("The app's client secret HubSpot signs webhook requests with (X-HubSpot-Signature-v3); an OAuth channel's clientSecret when not given").optional(),
  })
  .superRefine((credentials, ctx) => {
    const oauth = credentials.clientId !== undefined || credentials.clientSecret !== undefined;
    if (credentials.accessToken !== undefined && oauth)
      ctx.addIssue({ code: 'custom', path: ['accessToken'], message: 'give accessToken (a private app), or clientId and clientSecret (OAuth), not both' });
    else if (!oauth && credentials.accessToken === undefined)
      ctx.addIssue({ code: 'custom', path: ['accessToken'], message: 'give accessToken (a private app), or clientId and clientSecret (OAuth)' });
    else if (oauth)
      for (const field of (['clientId', 'clientSecret'] as const).filter((f) => credentials[f] === undefined))
        ctx.addIssue({ code: 'custom', path: [field], message: 'OAuth needs clientId and clientSecret' });
  });

export type HubSpotSettings = z.output<typeof HubSpotSettings>;
export type HubSpotCredentials = z.output<typeof HubSpotCredentials>;

/** What the connectors need of an OAuth install (https://developers.hubspot.com/docs/apps/developer-platform/build-apps/authentication/scopes). */
export const HUBSPOT_SCOPES = ['oauth', 'crm.objects.contacts.read', 'crm.objects.contacts.write', 'crm.objects.deals.read', 'crm.objects.deals.write'] as const;

/**
 * HubSpot's token answer made RFC 6749's: a refusal is `{ status: 'BAD_AUTH_CODE', message }`
 * (https://developers.hubspot.com/docs/api-reference/auth-oauth-v1/guide), not `{ error }`. A code
 * or refresh token HubSpot no longer honours is `invalid_grant`, so the channel asks for consent again.
 */
export function hubspotTokenResponse(body: Record<string, unknown>): Record<string, unknown> {
  if (body.access_token !== undefined || typeof body.status !== 'string') return body;
  const description = typeof body.message === 'string' ? body.message : body.status;
  const error = /^BAD_(AUTH_CODE|REFRESH_TOKEN|REDIRECT_URI)$/.test(body.status)
    ? 'invalid_grant'
    : /^BAD_CLIENT_(ID|SECRET)$/.test(body.status)
      ? 'invalid_client'
      : body.status === 'BAD_GRANT_TYPE'
        ? 'unsupported_grant_type'
        : 'invalid_request';
  return { error, error_description: `${body.status}: ${description}` };
}

const privateApp: AuthMethod<HubSpotCredentials, HubSpotSettings> = { kind: 'bearer', token: (credentials) => credentials.accessToken ?? '' };

const publicApp: AuthMethod<HubSpotCredentials, HubSpotSettings> = {
  kind: 'oauth2-authorization-code',
  endpoints: ({ baseUrl, appUrl }) => {
    const api = baseUrl.replace(/\/+$/, '');
    return { issuer: new URL(api).origin, authorizationUrl: `${appUrl.replace(/\/+$/, '')}/oauth/authorize`, tokenUrl: `${api}/oauth/v1/token` };
  },
  client: (credentials) => ({ clientId: credentials.clientId ?? '', clientSecret: credentials.clientSecret }),
  scopes: HUBSPOT_SCOPES,
  tokenResponse: hubspotTokenResponse,
};

/** The search endpoints' own limit, per account (https://developers.hubspot.com/docs/api-reference/search/guide#limitations). */
export const HUBSPOT_SEARCH_LIMIT = { requestsPerSecond: 5, scope: 'channel' } as const;

export const hubspot = defineApplication({
  name: 'hubspot',
  title: 'HubSpot',
  settings: HubSpotSettings,
  credentials: HubSpotCredentials,
  baseUrl: (settings) => settings.baseUrl.replace(/\/+$/, ''),
  // The API's host and the one HubSpot's OAuth consent page lives on; loopback for the tests' fake.
  allowedHosts: ['api.hubapi.com', 'app.hubspot.com', 'localhost', '127.0.0.1'],
  auth: oneOf([privateApp, publicApp], (credentials) => (credentials.accessToken !== undefined ? privateApp : publicApp)),
  headers: { accept: 'application/json' },
  timeoutMs: 30_000,
  // https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines: 100 per 10 s per account.
  rateLimit: { requestsPerSecond: 10, scope: 'channel' },
  webhooks: {
    signature: hubspotSignature(),
    secret: (credentials) => credentials.webhookSecret ?? credentials.clientSecret,
  },
});
