// A real OAuth 2.0 authorization server (oauth2-mock-server: authorization code with PKCE,
// refresh, client credentials) and a resource server that accepts only the access tokens it
// issued, until they expire. Its own process, since the package is ESM only.
// Prints "READY <issuer url> <resource url>". Control and counters: /_admin on the resource port.
import { createServer } from 'node:http';
import { OAuth2Server } from 'oauth2-mock-server';

const config = { expiresIn: 3600, rejectRefresh: false, refreshDelayMs: 0 };
const grants = { authorization_code: 0, refresh_token: 0, client_credentials: 0 };
const issued = new Map(); // access token -> expiry (ms)
const productCalls = []; // arrival times, to check rate limits

const oauth = new OAuth2Server();
await oauth.issuer.keys.generate('RS256');
oauth.service.on('beforeResponse', (response, req) => {
  const grant = req.body.grant_type;
  if (grant in grants) grants[grant] += 1;
  if (grant === 'refresh_token' && config.rejectRefresh) {
    response.statusCode = 400;
    response.body = { error: 'invalid_grant', error_description: 'refresh token revoked' };
    return;
  }
  // Plain OAuth 2.0: no OpenID Connect id_token.
  delete response.body.id_token;
  response.body.expires_in = config.expiresIn;
  issued.set(response.body.access_token, Date.now() + config.expiresIn * 1000);
});
await oauth.start(0, 'localhost');

async function readJson(req) {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text ? JSON.parse(text) : {};
}

const resource = createServer(async (req, res) => {
  const send = (status, body) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  if (req.url === '/_admin/stats') return send(200, { grants, issued: issued.size, productCalls });
  if (req.url === '/_admin/config' && req.method === 'POST') {
    Object.assign(config, await readJson(req));
    return send(200, config);
  }
  if (req.url === '/_admin/revoke' && req.method === 'POST') {
    issued.clear();
    return send(200, {});
  }
  const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  const expiry = token && issued.get(token);
  if (!expiry || expiry < Date.now()) return send(401, { error: 'invalid_token' });
  if (req.url === '/api/tickets') return send(200, { items: [{ id: 'T-1', subject: 'Printer on fire' }] });
  if (req.url === '/api/products') productCalls.push(Date.now());
  if (req.url === '/api/products') return send(200, { items: [{ sku: 'SKU-1', name: 'Widget', stock: 7 }] });
  return send(404, { error: 'not found' });
});
await new Promise((resolve) => resource.listen(0, '127.0.0.1', resolve));

console.log(`READY ${oauth.issuer.url} http://127.0.0.1:${resource.address().port}`);
const stop = async () => {
  resource.close();
  await oauth.stop();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
