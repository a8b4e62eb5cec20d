/**
 * Google Sheets API v4 (https://developers.google.com/workspace/sheets/api/reference/rest) as an
 * application: one channel is one spreadsheet. A channel authenticates as a service account: its
 * JSON key file (client_email, private_key, token_uri) signs a JWT that the request hook exchanges
 * at Google's token endpoint for an access token (RFC 7523 JWT bearer grant, service-account.ts),
 * cached per channel until a minute before it expires; the spreadsheet must be shared with the
 * service account's email.
 *
 * Every path is below `<baseUrl>/spreadsheets/<spreadsheetId>`, so a connector names only what it
 * does to the spreadsheet (`/values/<range>:append`, `:batchUpdate`).
 */
import { z } from 'zod';
import { defineApplication } from '../../applications/framework/application';
import { secret } from '../../applications/framework/secret';
import { SheetTitle } from './a1';
import { parseServiceAccountKey, serviceAccountToken } from './service-account';

export const SHEETS_API_URL = 'https://sheets.googleapis.com/v4';

export const GoogleSheetsSettings = z.object({
  baseUrl: z.url().default(SHEETS_API_URL).describe('Sheets API v4 root: https://sheets.googleapis.com/v4, or a proxy of it'),
  spreadsheetId: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'the id in the spreadsheet URL: docs.google.com/spreadsheets/d/<id>/edit')
    .describe('The spreadsheet this channel reads and writes'),
  sheet: SheetTitle.optional().describe('Sheet (tab) title the flows read and write by default; without it, the first visible sheet'),
});

export const GoogleSheetsCredentials = z
  .object({
    serviceAccountKey: secret("The service account's JSON key file, as Google Cloud gives it (type, client_email, private_key, token_uri)"),
  })
  .superRefine((credentials, ctx) => {
    const parsed = parseServiceAccountKey(credentials.serviceAccountKey);
    if ('error' in parsed) ctx.addIssue({ code: 'custom', path: ['serviceAccountKey'], message: parsed.error });
  });

export type GoogleSheetsSettings = z.output<typeof GoogleSheetsSettings>;
export type GoogleSheetsCredentials = z.output<typeof GoogleSheetsCredentials>;

export const googleSheets = defineApplication({
  name: 'google-sheets',
  title: 'Google Sheets',
  settings: GoogleSheetsSettings,
  credentials: GoogleSheetsCredentials,
  baseUrl: ({ baseUrl, spreadsheetId }) => `${baseUrl.replace(/\/+$/, '')}/spreadsheets/${spreadsheetId}`,
  // The API and Google's OAuth hosts; loopback for the tests' fake. A key's token_uri is held to
  // Google's token hosts on its own (service-account.ts): it is a credential, not a setting.
  allowedHosts: ['sheets.googleapis.com', 'oauth2.googleapis.com', 'accounts.google.com', 'localhost', '127.0.0.1'],
  // The service account's token is put on by the request hook.
  auth: { kind: 'none' },
  headers: { accept: 'application/json' },
  timeoutMs: 30_000,
  // Google's quotas are 60 reads and 60 writes a minute per user per project (and 300 each per
  // project): a channel is one user, so one call a second per channel keeps within both of its
  // budgets whatever the mix; a 429 RESOURCE_EXHAUSTED is retried with backoff (errors.ts).
  rateLimit: { requestsPerSecond: 1, scope: 'channel' },
  async requestHook(request, { credentials, token, send }) {
    request.headers.authorization = `Bearer ${await serviceAccountToken(credentials.serviceAccountKey, { token, send })}`;
  },
});
