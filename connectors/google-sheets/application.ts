/**
 * Google Sheets API v4 (https://developers.google.com/workspace/sheets/api/reference/rest) as an
 * application: one channel is one spreadsheet. A channel authenticates in one of two ways, chosen
 * by the credentials it gives:
 *
 * - `serviceAccountKey`: a service account's JSON key file (client_email, private_key, token_uri).
 *   The request hook signs a JWT with it and exchanges it at Google's token endpoint for an access
 *   token (RFC 7523 JWT bearer grant, service-account.ts), cached per channel until a minute
 *   before it expires. The spreadsheet must be shared with the service account's email.
 * - `clientId` and `clientSecret`: an OAuth client of a Google Cloud project; the channel is
 *   connected through the engine's connect link (authorization code with PKCE). Google returns a
 *   refresh token only when asked for offline access, and again on a later consent only with
 *   `prompt=consent`: both are sent.
 *
 * Every path is below `<baseUrl>/spreadsheets/<spreadsheetId>`, so a connector names only what it
 * does to the spreadsheet (`/values/<range>:append`, `:batchUpdate`).
 */
import { z } from 'zod';
import { defineApplication } from '../../applications/framework/application';
import { oneOf, type AuthMethod } from '../../applications/framework/auth';
import { secret } from '../../applications/framework/secret';
import { SheetTitle } from './a1';
import { GOOGLE_TOKEN_URL, parseServiceAccountKey, serviceAccountToken, SHEETS_SCOPE } from './service-account';

export const SHEETS_API_URL = 'https://sheets.googleapis.com/v4';
export const GOOGLE_AUTHORIZATION_URL = 'https://accounts.google.com/o/oauth2/v2/auth';
/** The issuer Google names in its authorization responses (`iss`, RFC 9207). */
export const GOOGLE_ISSUER = 'https://accounts.google.com';

export const GoogleSheetsSettings = z.object({
  baseUrl: z.url().default(SHEETS_API_URL).describe('Sheets API v4 root: https://sheets.googleapis.com/v4, or a proxy of it'),
  spreadsheetId: z
    .string()
    .max(200)
    .regex(/^[A-Za-z0-9_-]+$/, 'the id in the spreadsheet URL: docs.google.com/spreadsheets/d/<id>/edit')
    .describe('The spreadsheet this channel reads and writes'),
  sheet: SheetTitle.optional().describe('Sheet (tab) title the flows read and write by default; without it, the first visible sheet'),
  authorizationUrl: z.url().default(GOOGLE_AUTHORIZATION_URL).describe("OAuth: Google's authorization endpoint (a stand-in's only in tests)"),
  tokenUrl: z.url().default(GOOGLE_TOKEN_URL).describe("OAuth: Google's token endpoint (a stand-in's only in tests)"),
});

export const GoogleSheetsCredentials = z
  .object({
    serviceAccountKey: secret("A service account's JSON key file, as Google Cloud gives it (type, client_email, private_key, token_uri)").optional(),
    clientId: z.string().min(1).optional().describe('An OAuth client id (…apps.googleusercontent.com): the channel is then connected through its OAuth connect link'),
    clientSecret: secret("The OAuth client's secret").optional(),
  })
  .superRefine((credentials, ctx) => {
    const oauth = credentials.clientId !== undefined || credentials.clientSecret !== undefined;
    if (credentials.serviceAccountKey !== undefined && oauth) {
      ctx.addIssue({ code: 'custom', path: ['serviceAccountKey'], message: 'give serviceAccountKey, or clientId and clientSecret (OAuth), not both' });
    } else if (oauth) {
      for (const field of (['clientId', 'clientSecret'] as const).filter((f) => credentials[f] === undefined))
        ctx.addIssue({ code: 'custom', path: [field], message: 'OAuth needs clientId and clientSecret' });
    } else if (credentials.serviceAccountKey === undefined) {
      ctx.addIssue({ code: 'custom', path: ['serviceAccountKey'], message: 'give serviceAccountKey (a service account), or clientId and clientSecret (OAuth)' });
    } else {
      const parsed = parseServiceAccountKey(credentials.serviceAccountKey);
      if ('error' in parsed) ctx.addIssue({ code: 'custom', path: ['serviceAccountKey'], message: parsed.error });
    }
  });

export type GoogleSheetsSettings = z.output<typeof GoogleSheetsSettings>;
export type GoogleSheetsCredentials = z.output<typeof GoogleSheetsCredentials>;

/**
 * A service account: its token is minted and put on by the request hook. Declared as what goes
 * on the wire, a bearer token; the empty value here is always replaced by the hook.
 */
const serviceAccount: AuthMethod<GoogleSheetsCredentials, GoogleSheetsSettings> = { kind: 'bearer', token: () => '' };

/** https://developers.google.com/identity/protocols/oauth2/web-server */
const oauthClient: AuthMethod<GoogleSheetsCredentials, GoogleSheetsSettings> = {
  kind: 'oauth2-authorization-code',
  endpoints: ({ authorizationUrl, tokenUrl }) => ({
    issuer: new URL(authorizationUrl).hostname === 'accounts.google.com' ? GOOGLE_ISSUER : new URL(authorizationUrl).origin,
    authorizationUrl,
    tokenUrl,
  }),
  client: (credentials) => ({ clientId: credentials.clientId ?? '', clientSecret: credentials.clientSecret }),
  scopes: [SHEETS_SCOPE],
  // Without offline access Google gives no refresh token; without consent asked again, none on a
  // second connect of the same account (the first one's stays with the old channel).
  authorizationParams: { access_type: 'offline', prompt: 'consent' },
};

export const googleSheets = defineApplication({
  name: 'google-sheets',
  title: 'Google Sheets',
  settings: GoogleSheetsSettings,
  credentials: GoogleSheetsCredentials,
  baseUrl: ({ baseUrl, spreadsheetId }) => `${baseUrl.replace(/\/+$/, '')}/spreadsheets/${spreadsheetId}`,
  // The API and Google's OAuth hosts; loopback for the tests' fake. A key's token_uri is held to
  // Google's token hosts on its own (service-account.ts): it is a credential, not a setting.
  allowedHosts: ['sheets.googleapis.com', 'oauth2.googleapis.com', 'accounts.google.com', 'localhost', '127.0.0.1'],
  auth: oneOf([serviceAccount, oauthClient], (credentials) => (credentials.serviceAccountKey !== undefined ? serviceAccount : oauthClient)),
  headers: { accept: 'application/json' },
  timeoutMs: 30_000,
  // Google's quotas are 60 reads and 60 writes a minute per user per project (and 300 each per
  // project): a channel is one user, so one call a second per channel keeps within both of its
  // budgets whatever the mix; a 429 RESOURCE_EXHAUSTED is retried with backoff (errors.ts).
  rateLimit: { requestsPerSecond: 1, scope: 'channel' },
  async requestHook(request, { credentials, token, send }) {
    if (credentials.serviceAccountKey === undefined) return;
    request.headers.authorization = `Bearer ${await serviceAccountToken(credentials.serviceAccountKey, { token, send })}`;
  },
});
