/**
 * A helpdesk that authorizes through OAuth 2.0 authorization code with PKCE: an operator asks for
 * a connect link (POST /channels/:id/oauth/connect) and the account's owner opens it. Its
 * authorization server and API are configurable per channel, so one application serves any tenant
 * (and the loopback servers of the tests), but only on the hosts it pins.
 */
import { z } from 'zod';
import { defineApplication } from '../../applications/framework/application';
import { oauthClientCredentials } from '../../applications/framework/oauth-client';

export const demoHelpdesk = defineApplication({
  name: 'demo-helpdesk',
  title: 'Demo Helpdesk (OAuth 2.0 authorization code)',
  settings: z.object({
    baseUrl: z.url().describe('Helpdesk API, e.g. https://helpdesk.example.com'),
    authServerUrl: z.url().describe('OAuth 2.0 authorization server (issuer); /authorize and /token below it'),
  }),
  credentials: oauthClientCredentials(),
  baseUrl: (settings) => settings.baseUrl,
  // Like a real SaaS pinning its own domains (`api.hubspot.com`, `*.myshopify.com`): tenants live
  // below helpdesk.example.com; the demo and the tests run it on loopback.
  allowedHosts: ['helpdesk.example.com', '*.helpdesk.example.com', 'localhost', '127.0.0.1'],
  auth: {
    kind: 'oauth2-authorization-code',
    endpoints: ({ authServerUrl }) => {
      const issuer = authServerUrl.replace(/\/+$/, '');
      return { issuer, authorizationUrl: `${issuer}/authorize`, tokenUrl: `${issuer}/token` };
    },
    client: ({ clientId, clientSecret }) => ({ clientId, clientSecret }),
    scopes: ['tickets:read'],
  },
  headers: { accept: 'application/json' },
  // Like most SaaS APIs, a limit per account: one busy customer does not slow the others.
  rateLimit: { requestsPerSecond: 5, scope: 'channel' },
});
