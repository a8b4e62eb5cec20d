/**
 * Slack's OAuth v2 install flow, as https://api.slack.com/authentication/oauth-v2 documents it:
 * `GET /oauth/v2/authorize` (comma-separated bot `scope`; the workspace admin approves at once here
 * and is sent back with a code), then `POST /api/oauth.v2.access` (form body with the client's id
 * and secret) answering `{ ok: true, access_token: "xoxb-…", token_type: "bot", … }`, or HTTP 200
 * with `{ ok: false, error }` when it refuses, as every Slack method does.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface SlackApp {
  clientId: string;
  clientSecret: string;
}

export interface SlackOAuth {
  app: SlackApp;
  /** Bot scopes the last authorize request asked for, as Slack reads them (comma-separated). */
  lastScopes: string[];
  /** Answers the request when it is one of the install flow's, else false. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL, text: string): boolean;
}

export function slackOAuth(grant: (token: string) => void, violations: string[]): SlackOAuth {
  const app: SlackApp = { clientId: '1111111111.2222222222', clientSecret: randomBytes(16).toString('hex') };
  const codes = new Map<string, { redirectUri: string; scope: string }>();
  const state: SlackOAuth = { app, lastScopes: [], handle };

  function handle(req: IncomingMessage, res: ServerResponse, url: URL, text: string): boolean {
    const json = (body: unknown): void => void res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
    if (req.method === 'GET' && url.pathname === '/oauth/v2/authorize') {
      const q = url.searchParams;
      const redirectUri = q.get('redirect_uri') ?? '';
      if (q.get('client_id') !== app.clientId || !redirectUri || !q.get('state')) violations.push(`authorize: ${url.search}`);
      state.lastScopes = (q.get('scope') ?? '').split(',');
      if (state.lastScopes.some((scope) => /\s/.test(scope))) violations.push(`authorize: Slack reads scope as comma-separated, got "${q.get('scope')}"`);
      const code = randomBytes(8).toString('hex');
      codes.set(code, { redirectUri, scope: q.get('scope') ?? '' });
      const back = new URL(redirectUri);
      back.searchParams.set('code', code);
      back.searchParams.set('state', q.get('state') ?? '');
      res.writeHead(302, { location: back.toString() }).end();
      return true;
    }
    if (req.method === 'POST' && url.pathname === '/api/oauth.v2.access') {
      const form = new URLSearchParams(text);
      if (!/^application\/x-www-form-urlencoded/.test(req.headers['content-type'] ?? '')) violations.push(`oauth.v2.access: content-type ${req.headers['content-type']}`);
      if (form.get('client_id') !== app.clientId || form.get('client_secret') !== app.clientSecret) return (json({ ok: false, error: 'invalid_client_id' }), true);
      const pending = codes.get(form.get('code') ?? '');
      codes.delete(form.get('code') ?? '');
      if (!pending) return (json({ ok: false, error: 'invalid_code' }), true);
      if (form.get('redirect_uri') !== pending.redirectUri) return (json({ ok: false, error: 'bad_redirect_uri' }), true);
      const token = `xoxb-3333-4444-${randomBytes(12).toString('hex')}`;
      grant(token);
      json({
        ok: true,
        access_token: token,
        token_type: 'bot',
        scope: pending.scope,
        bot_user_id: 'U0BOT',
        app_id: 'A0ENGINE',
        team: { name: 'Test Team', id: 'T0TEAM' },
        enterprise: null,
        authed_user: { id: 'U0ALICE' },
        is_enterprise_install: false,
      });
      return true;
    }
    return false;
  }
  return state;
}
