/** oauth4webapi's token requests through the HTTP layer: allowed ones work, refused ones never leave. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as oauth from 'oauth4webapi';
import { HttpClient, HttpLayerError } from '../../connectors/framework/http/client';
import { EgressPolicy } from '../../connectors/framework/http/egress-policy';
import { egressFetch } from './egress-fetch';

let server: Server;
let tokenUrl: string;
let connections = 0;
beforeAll(async () => {
  server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const params = new URLSearchParams(body);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: `at-for-${params.get('client_id')}`, token_type: 'Bearer', expires_in: 60 }));
  }).on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  tokenUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`;
});
afterAll(
  () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
);

const client = (allow: string) =>
  new HttpClient({ policy: new EgressPolicy({ allow }), maxResponseBytes: 1 << 20, tuning: { maxSocketsPerOrigin: 4, maxFreeSocketsPerOrigin: 2, maxSockets: 16 }, userAgent: 'test' });
const grant = (http: HttpClient) =>
  oauth.clientCredentialsGrantRequest({ issuer: new URL(tokenUrl).origin, token_endpoint: tokenUrl }, { client_id: 'erp' }, oauth.ClientSecretPost('s3cret'), new URLSearchParams(), {
    [oauth.customFetch]: egressFetch(() => http),
    [oauth.allowInsecureRequests]: true,
  });

it('sends an allowed token request and hands oauth4webapi a Fetch Response', async () => {
  const response = await grant(client('127.0.0.0/8'));
  const result = await oauth.processClientCredentialsResponse({ issuer: new URL(tokenUrl).origin, token_endpoint: tokenUrl }, { client_id: 'erp' }, response);
  expect(result.access_token).toBe('at-for-erp');
});

it('refuses a token endpoint the policy refuses, before any connection', async () => {
  const before = connections;
  await expect(grant(client('10.0.0.1'))).rejects.toBeInstanceOf(HttpLayerError);
  await expect(grant(client('10.0.0.1'))).rejects.toMatchObject({ reason: 'EgressRefused', message: expect.stringContaining('refused by policy: loopback') });
  expect(connections).toBe(before);
});
