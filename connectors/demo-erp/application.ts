/** An ERP reached machine-to-machine with OAuth 2.0 client credentials. */
import { z } from 'zod';
import { defineApplication } from '../../applications/framework/application';
import { oauthClientCredentials } from '../../applications/framework/oauth-client';

export const demoErp = defineApplication({
  name: 'demo-erp',
  title: 'Demo ERP (OAuth 2.0 client credentials)',
  settings: z.object({
    baseUrl: z.url().describe('ERP API'),
    authServerUrl: z.url().describe('OAuth 2.0 authorization server (issuer); /token below it'),
  }),
  credentials: oauthClientCredentials(),
  baseUrl: (settings) => settings.baseUrl,
  auth: {
    kind: 'oauth2-client-credentials',
    endpoints: ({ authServerUrl }) => {
      const issuer = authServerUrl.replace(/\/+$/, '');
      return { issuer, tokenUrl: `${issuer}/token` };
    },
    client: ({ clientId, clientSecret }) => ({ clientId, clientSecret }),
    scopes: ['inventory:read'],
  },
  headers: { accept: 'application/json' },
  // ERPs are often strict about load: at most 5 calls a second, across all workers.
  rateLimit: { requestsPerSecond: 5 },
});
