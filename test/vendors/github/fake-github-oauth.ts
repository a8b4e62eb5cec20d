/**
 * GitHub's OAuth app web flow, as https://docs.github.com/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps
 * documents it: `GET /login/oauth/authorize` (the user consents at once and is sent back with a
 * code), `POST /login/oauth/access_token` (the code, the client's secret and the PKCE verifier for
 * a `gho_` token). As GitHub does, a refused exchange still answers 200, with `{ error }`.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface OAuthApp {
  clientId: string;
  clientSecret: string;
}

interface PendingCode {
  redirectUri: string;
  codeChallenge: string;
  scope: string;
}

export interface GitHubOAuthWebFlow {
  app: OAuthApp;
  /** Answers the request when it is one of the web flow's, else false. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL, text: string): boolean;
}

export function gitHubOAuthWebFlow(accept: (token: string) => void, violations: string[]): GitHubOAuthWebFlow {
  const app: OAuthApp = { clientId: 'Iv1.0a1b2c3d4e5f6a7b', clientSecret: randomBytes(20).toString('hex') };
  const codes = new Map<string, PendingCode>();

  function authorize(res: ServerResponse, url: URL): void {
    const q = url.searchParams;
    const redirectUri = q.get('redirect_uri');
    if (q.get('client_id') !== app.clientId || !redirectUri) {
      violations.push(`authorize: client_id ${q.get('client_id')} / redirect_uri ${redirectUri}`);
      res.writeHead(404).end('Not Found');
      return;
    }
    if (q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge') || !q.get('state')) violations.push(`authorize without PKCE S256 or state: ${url.search}`);
    const code = randomBytes(10).toString('hex');
    codes.set(code, { redirectUri, codeChallenge: q.get('code_challenge') ?? '', scope: q.get('scope') ?? '' });
    const back = new URL(redirectUri);
    back.searchParams.set('code', code);
    back.searchParams.set('state', q.get('state') ?? '');
    res.writeHead(302, { location: back.toString() }).end();
  }

  function exchange(req: IncomingMessage, res: ServerResponse, text: string): void {
    const form = new URLSearchParams(text);
    const answer = (body: Record<string, string>): void => void res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
    const refuse = (error: string, description: string) =>
      answer({ error, error_description: description, error_uri: 'https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors' });
    if (!String(req.headers.accept ?? '').includes('application/json')) violations.push(`access_token asked without Accept: application/json (GitHub would answer form-encoded)`);
    if (form.get('client_id') !== app.clientId || form.get('client_secret') !== app.clientSecret)
      return refuse('incorrect_client_credentials', 'The client_id and/or client_secret passed are incorrect.');
    const pending = codes.get(form.get('code') ?? '');
    codes.delete(form.get('code') ?? '');
    if (!pending) return refuse('bad_verification_code', 'The code passed is incorrect or expired.');
    if (form.get('redirect_uri') !== pending.redirectUri) return refuse('redirect_uri_mismatch', 'The redirect_uri MUST match the registered callback URL for this application.');
    const challenge = createHash('sha256')
      .update(form.get('code_verifier') ?? '')
      .digest('base64url');
    if (challenge !== pending.codeChallenge) return refuse('bad_verification_code', 'The code_verifier does not match the code_challenge.');
    const token = `gho_${randomBytes(18).toString('base64url')}`;
    accept(token);
    answer({ access_token: token, token_type: 'bearer', scope: pending.scope.split(' ').join(',') });
  }

  return {
    app,
    handle(req, res, url, text) {
      if (req.method === 'GET' && url.pathname === '/login/oauth/authorize') authorize(res, url);
      else if (req.method === 'POST' && url.pathname === '/login/oauth/access_token') exchange(req, res, text);
      else return false;
      return true;
    },
  };
}
