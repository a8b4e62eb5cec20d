/**
 * GitHub's REST API (https://docs.github.com/rest) as an application. A channel authenticates in
 * one of three ways, chosen by which credentials it gives:
 *
 * - `token`: a personal access token (classic or fine-grained), or any user access token an OAuth
 *   app issued, sent as a bearer token;
 * - `appId`, `installationId` and `privateKey`: a GitHub App installation. Each request carries an
 *   installation token that the request hook mints from the App's JWT (RS256, app-token.ts) at
 *   `POST /app/installations/{id}/access_tokens`, cached per channel until a minute before it
 *   expires (GitHub gives it an hour);
 * - `clientId` and `clientSecret`: an OAuth app. The channel is connected by the engine's OAuth
 *   connect link (authorization code at github.com/login/oauth); its user access token is kept
 *   sealed and sent as a bearer token.
 *
 * Every request pins the REST API version (`X-GitHub-Api-Version`). Webhooks are signed with
 * `X-Hub-Signature-256`; with a `repository` setting, enabling the channel registers a repository
 * hook for each of its webhook flows and disabling it removes them.
 */
import { z } from 'zod';
import { defineApplication } from '../../applications/framework/application';
import { oneOf, type AuthMethod } from '../../applications/framework/auth';
import { secret } from '../../applications/framework/secret';
import { githubSignature } from '../../applications/framework/webhook-signature';
import { installationToken } from './app-token';

/** The REST API version every request asks for (https://docs.github.com/rest/about-the-rest-api/api-versions). */
export const GITHUB_API_VERSION = '2022-11-28';
export const GITHUB_API_URL = 'https://api.github.com';

const Repository = z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'owner/repo');

export const GitHubSettings = z.object({
  baseUrl: z.url().default(GITHUB_API_URL).describe('REST API root: https://api.github.com, or a proxy of it'),
  apiVersion: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .default(GITHUB_API_VERSION)
    .describe('X-GitHub-Api-Version sent with every request'),
  repository: Repository.optional().describe('owner/repo whose repository hooks the webhook flows subscribe through'),
  webhookEvents: z.array(z.string().min(1)).min(1).default(['issues']).describe('Events the registered repository hook delivers'),
  slackChannelId: z.string().min(1).optional().describe('The slack channel (engine channel id) githubIssueToSlack posts through'),
  slackConversation: z.string().min(1).optional().describe("Slack conversation (C… or #name) githubIssueToSlack posts to; else that Slack channel's defaultChannel"),
});

/** The three ways in, by the credential fields each needs: a channel gives the fields of exactly one. */
const CREDENTIAL_METHODS = [
  { name: 'a token', fields: ['token'] },
  { name: 'a GitHub App', fields: ['appId', 'installationId', 'privateKey'] },
  { name: 'an OAuth app', fields: ['clientId', 'clientSecret'] },
] as const;
type CredentialMethod = (typeof CREDENTIAL_METHODS)[number];

export const GitHubCredentials = z
  .object({
    token: secret('Personal access token, or an OAuth app user access token (sent as a bearer token)').optional(),
    appId: z
      .string()
      .regex(/^(\d+|Iv[A-Za-z0-9.]+)$/, 'the App id (digits) or its client id (Iv…)')
      .optional()
      .describe("GitHub App id, or the App's client id (Iv…), the JWT's issuer"),
    installationId: z.string().regex(/^\d+$/).optional().describe('Installation of the App whose token the requests carry'),
    privateKey: secret("The GitHub App's private key (PEM)").optional(),
    clientId: z.string().min(1).optional().describe("An OAuth app's client id: the channel is then connected through its OAuth connect link"),
    clientSecret: secret("The OAuth app's client secret").optional(),
    webhookSecret: secret('Secret GitHub signs webhook deliveries with (X-Hub-Signature-256)').optional(),
  })
  .superRefine((credentials, ctx) => {
    const chosen = CREDENTIAL_METHODS.filter((method) => method.fields.some((field) => credentials[field] !== undefined));
    if (chosen.length !== 1) {
      const message = `give the fields of one way in: ${CREDENTIAL_METHODS.map((method) => `${method.fields.join(', ')} (${method.name})`).join('; ')}`;
      ctx.addIssue({ code: 'custom', path: [chosen[1]?.fields[0] ?? 'token'], message });
      return;
    }
    const [method] = chosen as [CredentialMethod];
    for (const field of method.fields.filter((f) => credentials[f] === undefined)) ctx.addIssue({ code: 'custom', path: [field], message: `${method.name} needs ${method.fields.join(', ')}` });
  });

export type GitHubSettings = z.output<typeof GitHubSettings>;
export type GitHubCredentials = z.output<typeof GitHubCredentials>;

const tokenAuth: AuthMethod<GitHubCredentials, GitHubSettings> = { kind: 'bearer', token: (credentials) => credentials.token ?? '' };

/**
 * An OAuth app (https://docs.github.com/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps):
 * github.com's endpoints for api.github.com, the Enterprise host's own for a GitHub Enterprise
 * Server base URL (`https://ghe.example.com/api/v3`). Its tokens do not expire and come without
 * a refresh token; a revoked one makes the channel ask for authorization again.
 */
const oauthApp: AuthMethod<GitHubCredentials, GitHubSettings> = {
  kind: 'oauth2-authorization-code',
  endpoints: (settings) => {
    const web = oauthHost(settings.baseUrl);
    return { issuer: web, authorizationUrl: `${web}/login/oauth/authorize`, tokenUrl: `${web}/login/oauth/access_token` };
  },
  client: (credentials) => ({ clientId: credentials.clientId ?? '', clientSecret: credentials.clientSecret }),
  scopes: ['repo', 'read:org', 'admin:repo_hook'],
  // GitHub answers a refused code with 200 and `{ error }`: as it is, the normalizing rule makes it an error.
  tokenResponse: (body) => body,
};

/**
 * Where a user authorizes an OAuth app for this API root: github.com for api.github.com, the
 * tenant's host for GHE.com (`api.acme.ghe.com` → `acme.ghe.com`), else (GitHub Enterprise
 * Server, `https://ghe.example.com/api/v3`) the API's own origin.
 */
export function oauthHost(baseUrl: string): string {
  const api = new URL(baseUrl);
  if (api.hostname === 'api.github.com') return 'https://github.com';
  const tenant = /^api\.([a-z0-9-]+\.ghe\.com)$/i.exec(api.hostname)?.[1];
  return tenant ? `${api.protocol}//${tenant}${api.port ? `:${api.port}` : ''}` : api.origin;
}

export const github = defineApplication({
  name: 'github',
  title: 'GitHub',
  settings: GitHubSettings,
  credentials: GitHubCredentials,
  baseUrl: (settings) => settings.baseUrl,
  // api.github.com only; loopback for the tests' fake. GitHub Enterprise hosts are not pinned here (see README).
  allowedHosts: ['api.github.com', 'github.com', 'localhost', '127.0.0.1'],
  // A token as it is; an App channel's installation token is put on by the request hook over this.
  auth: oneOf([tokenAuth, oauthApp], (credentials) => (credentials.clientId !== undefined ? oauthApp : tokenAuth)),
  headers: { accept: 'application/vnd.github+json', 'x-github-api-version': GITHUB_API_VERSION },
  timeoutMs: 15_000,
  // GitHub asks integrations not to make concurrent requests per token: a budget per channel keeps
  // one busy account from slowing the others; its x-ratelimit-* answers say when to wait (errors.ts).
  rateLimit: { requestsPerSecond: 10, scope: 'channel' },
  async requestHook(request, { credentials, settings, token, send }) {
    if (settings.apiVersion !== GITHUB_API_VERSION) request.headers['x-github-api-version'] = settings.apiVersion;
    if (credentials.appId === undefined) return;
    request.headers.authorization = `Bearer ${await installationToken(credentials, settings, { token, send })}`;
  },
  webhooks: {
    signature: githubSignature(),
    secret: (credentials) => credentials.webhookSecret,
    subscription: {
      // https://docs.github.com/rest/repos/webhooks#create-a-repository-webhook
      register: ({ url, secret: webhookSecret, settings }) => {
        const { repository, webhookEvents } = GitHubSettings.parse(settings);
        if (!repository) throw new Error('the channel names no repository (setting "repository": "owner/repo") to register its webhook on');
        return {
          method: 'POST',
          path: `/repos/${repository}/hooks`,
          body: { name: 'web', active: true, events: webhookEvents, config: { url, content_type: 'json', secret: webhookSecret, insecure_ssl: '0' } },
        };
      },
      // The hook's own URL names its repository: removal finds it even after the setting changed.
      subscriptionId: (body) => hookIdOf(z.object({ id: z.number(), url: z.string() }).parse(body)),
      remove: (id) => ({ method: 'DELETE', path: `/repos/${id}` }),
    },
  },
});

/** `owner/repo/hooks/<id>`, from the hook's `url` (`…/repos/owner/repo/hooks/1`). */
export function hookIdOf(hook: { id: number; url: string }): string {
  const match = /\/repos\/([^/]+\/[^/]+)\/hooks\/(\d+)$/.exec(new URL(hook.url).pathname);
  if (!match || match[2] !== String(hook.id)) throw new Error(`unexpected repository hook url ${hook.url}`);
  return `${match[1]}/hooks/${match[2]}`;
}
