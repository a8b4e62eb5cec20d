/**
 * Shopify's REST Admin API (https://shopify.dev/docs/api/admin-rest) on one shop's own host,
 * `https://{shop}.myshopify.com/admin/api/{version}`. A channel is one app installed on one shop,
 * and its credentials choose how it gets in:
 *
 * - `accessToken`: an Admin API access token (a custom app's `shpat_…`), as it is;
 * - `clientId` and `clientSecret`: the app's OAuth install on the shop's own host
 *   (https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/authorization-code-grant):
 *   consent at `/admin/oauth/authorize`, the code exchanged at `/admin/oauth/access_token` for an
 *   offline token, which does not expire (a 401 later means the app was uninstalled: connect again).
 *
 * Either token goes in `X-Shopify-Access-Token` on every request.
 *
 * Calls are paced by Shopify's leaky bucket (call-limit.ts): 2 a second per channel, Temporal
 * enforcing it across workers, plus the level every answer reports. Webhooks are signed with
 * `X-Shopify-Hmac-Sha256` (the app's client secret, credential `webhookSecret`); enabling a channel
 * subscribes each of its webhook flows through the webhooks API, one topic per flow, named by the
 * end of the flow's path (`shopify/orders/create` receives `orders/create`).
 */
import { z } from 'zod';
import { defineApplication } from '../../applications/framework/application';
import { oneOf, type AuthMethod } from '../../applications/framework/auth';
import { secret } from '../../applications/framework/secret';
import { shopifySignature } from '../../applications/framework/webhook-signature';
import { CallLimitBuckets } from './call-limit';
import { parseJsonExact } from './exact-json';
import { Topic, Webhook } from './schemas';

/**
 * The API version every request names: the newest for which the installed @shopify/shopify-api
 * ships REST Admin resources (`rest/admin/2026-04`; its `ApiVersion` already names 2026-07, which
 * it knows for GraphQL only). A test keeps them equal.
 */
export const SHOPIFY_API_VERSION = '2026-04';

/**
 * One DNS label: what precedes `.myshopify.com`. Lower case only (the canonical form), no dots,
 * no leading or trailing hyphen, at most 63 characters: nothing that could end the host name
 * early (`evil.com#`, `a@evil.com`, `a.b`), change it (`%2e`, homoglyphs), or leave the domain.
 */
const SHOP = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export const ShopifySettings = z
  .object({
    shop: z
      .string()
      .refine((shop) => !/\.myshopify\.com\.?$/i.test(shop), 'the subdomain only: "my-shop", not "my-shop.myshopify.com"')
      .refine((shop) => SHOP.test(shop), 'the shop\'s myshopify.com subdomain: lower-case letters, digits and inner hyphens, at most 63 (e.g. "my-shop")')
      .describe('The shop: its subdomain of myshopify.com ("my-shop" for my-shop.myshopify.com)'),
    apiVersion: z
      .string()
      .regex(/^\d{4}-(01|04|07|10)$/, 'a Shopify API version: YYYY-01, -04, -07 or -10, e.g. 2026-04')
      .default(SHOPIFY_API_VERSION)
      .describe('The Admin API version in every request path (/admin/api/<version>/)'),
    baseUrl: z.url().optional().describe("Instead of https://<shop>.myshopify.com: the shop's host behind a proxy, or a test's fake; /admin/api/<version> is added to it"),
    sheetsChannelId: z.string().min(1).optional().describe('The google-sheets channel (engine channel id) shopifyOrderToSheet appends each new order to'),
    ordersSheet: z.string().min(1).max(100).optional().describe("Sheet (tab) title shopifyOrderToSheet writes to; else that Google Sheets channel's `sheet`"),
  })
  .superRefine((settings, ctx) => {
    if (settings.baseUrl === undefined || !URL.canParse(settings.baseUrl)) return;
    const url = new URL(settings.baseUrl);
    if (url.username || url.password || url.search || url.hash) ctx.addIssue({ code: 'custom', path: ['baseUrl'], message: 'no user info, query or fragment: a host and optional path' });
    // On Shopify's domain, only the shop's own host: the token of one shop goes to no other shop.
    const host = url.hostname.toLowerCase().replace(/\.$/, '');
    if (host.endsWith('.myshopify.com') && host !== `${settings.shop}.myshopify.com`)
      ctx.addIssue({ code: 'custom', path: ['baseUrl'], message: `on myshopify.com only the shop's own host, ${settings.shop}.myshopify.com` });
  });

export const ShopifyCredentials = z
  .object({
    accessToken: secret("Admin API access token (a custom app's shpat_…), sent as X-Shopify-Access-Token").optional(),
    clientId: z.string().min(1).optional().describe("The app's client id (API key): the channel is then installed through its OAuth connect link"),
    clientSecret: secret("The app's client secret (API secret key)").optional(),
    webhookSecret: secret("The app's client secret, which Shopify signs webhook deliveries with (X-Shopify-Hmac-Sha256); an OAuth channel's clientSecret unless given").optional(),
  })
  .superRefine((credentials, ctx) => {
    const oauth = credentials.clientId !== undefined || credentials.clientSecret !== undefined;
    if (credentials.accessToken !== undefined && oauth) ctx.addIssue({ code: 'custom', path: ['accessToken'], message: 'give accessToken, or clientId and clientSecret (an OAuth install), not both' });
    else if (!oauth && credentials.accessToken === undefined) ctx.addIssue({ code: 'custom', path: ['accessToken'], message: 'give accessToken, or clientId and clientSecret (an OAuth install)' });
    else if (oauth)
      for (const field of (['clientId', 'clientSecret'] as const).filter((f) => credentials[f] === undefined))
        ctx.addIssue({ code: 'custom', path: [field], message: 'an OAuth install needs clientId and clientSecret' });
  });

export type ShopifySettings = z.output<typeof ShopifySettings>;
export type ShopifyCredentials = z.output<typeof ShopifyCredentials>;

/** `https://my-shop.myshopify.com`, or the configured stand-in, without a trailing slash. */
export function shopRoot(settings: ShopifySettings): string {
  return (settings.baseUrl ?? `https://${settings.shop}.myshopify.com`).replace(/\/+$/, '');
}

/** What the connectors read: orders, products, customers (orders/* webhooks need read_orders too). */
export const SHOPIFY_SCOPES = ['read_orders', 'read_products', 'read_customers'] as const;

/** Shopify answers `{access_token, scope}`: an offline token, without the `token_type` RFC 6749 requires. */
export function shopifyTokenResponse(body: Record<string, unknown>): Record<string, unknown> {
  return typeof body.access_token === 'string' && body.token_type === undefined ? { ...body, token_type: 'bearer' } : body;
}

const accessToken: AuthMethod<ShopifyCredentials, ShopifySettings> = { kind: 'api-key', in: 'header', name: 'X-Shopify-Access-Token', key: (credentials) => credentials.accessToken ?? '' };

const oauthInstall: AuthMethod<ShopifyCredentials, ShopifySettings> = {
  kind: 'oauth2-authorization-code',
  // On the shop's own host: the consent is the merchant's, the token this shop's.
  endpoints: (settings) => {
    const root = shopRoot(settings);
    return { issuer: root, authorizationUrl: `${root}/admin/oauth/authorize`, tokenUrl: `${root}/admin/oauth/access_token` };
  },
  client: (credentials) => ({ clientId: credentials.clientId ?? '', clientSecret: credentials.clientSecret }),
  scopes: SHOPIFY_SCOPES,
  // Shopify reads `scope` comma-separated; without `grant_options[]=per-user` the token is offline.
  scopeSeparator: ',',
  tokenHeader: { name: 'x-shopify-access-token' },
  tokenResponse: shopifyTokenResponse,
};

/** The bucket levels the answers report, per channel, in this worker process. */
export const callLimits = new CallLimitBuckets();

/** The topic a webhook flow receives: its path's last two segments (`shopify/orders/create` → `orders/create`). */
export function topicOfPath(path: string): string {
  const topic = path.split('/').slice(-2).join('/');
  const parsed = Topic.safeParse(topic);
  if (!parsed.success) throw new Error(`webhook path "${path}" does not end in a Shopify topic (e.g. shopify/orders/create for orders/create)`);
  return parsed.data;
}

export const shopify = defineApplication({
  name: 'shopify',
  title: 'Shopify',
  settings: ShopifySettings,
  credentials: ShopifyCredentials,
  baseUrl: (settings) => `${shopRoot(settings)}/admin/api/${settings.apiVersion}`,
  // One label under myshopify.com (the shop's own host, checked in settings); loopback for the tests' fake.
  allowedHosts: ['*.myshopify.com', 'localhost', '127.0.0.1'],
  auth: oneOf([accessToken, oauthInstall], (credentials) => (credentials.accessToken !== undefined ? accessToken : oauthInstall)),
  headers: { accept: 'application/json' },
  timeoutMs: 30_000,
  // The standard plans' leak rate, per channel (one app on one shop has one bucket).
  rateLimit: { requestsPerSecond: 2, scope: 'channel' },
  requestHook: (_request, { channelId }) => callLimits.take(channelId ?? ''),
  responseHook: (response, { channelId }) => callLimits.observe(channelId ?? '', response.headers),
  webhooks: {
    signature: shopifySignature(),
    // The app's client secret signs them: an OAuth channel has it already.
    secret: (credentials) => credentials.webhookSecret ?? credentials.clientSecret,
    // Shopify's own sample order has ids past 2^53, and a line item's product_id has no exact twin.
    parseBody: (rawBody) => parseJsonExact(rawBody.toString('utf8')),
    // https://shopify.dev/docs/api/admin-rest/latest/resources/webhook. Shopify signs with the app's
    // client secret, not a secret per subscription: the one given at registration is not sent.
    subscription: {
      register: ({ url, path }) => ({ method: 'POST', path: '/webhooks.json', body: { webhook: { topic: topicOfPath(path), address: url, format: 'json' } } }),
      subscriptionId: (body) => z.object({ webhook: Webhook }).parse(body).webhook.id,
      remove: (id) => ({ method: 'DELETE', path: `/webhooks/${encodeURIComponent(id)}.json` }),
    },
  },
});
