/**
 * Slack's Web API (https://api.slack.com/web) with a bot token, and its Events API deliveries.
 *
 * Auth, chosen by the channel's credentials: a bot token (`xoxb-…`) pasted from the app's page, or
 * the app's client id and secret, with which the channel is installed by Slack's OAuth v2 flow
 * (https://slack.com/oauth/v2/authorize, then oauth.v2.access) through the engine's connect
 * link; the bot token that flow yields is kept sealed. Either way the token goes as
 * `Authorization: Bearer`. Slack's token answer is not RFC 6749's (`token_type: "bot"`, failures
 * as HTTP 200 with `ok: false`): `slackTokenResponse` makes it so before it is checked.
 *
 * Errors: Slack answers most failures with HTTP 200 and `{ ok: false, error }`; `slackEvaluate`
 * (slack-response.ts) makes those typed errors, so a 200 with `ok: false` never counts as success.
 *
 * Webhooks: Events API requests carry the v0 signature (`X-Slack-Signature`,
 * `X-Slack-Request-Timestamp`) keyed with the app's signing secret, the channel credential
 * `webhookSecret`; the delivery id is the signed body's `event_id`, and the `url_verification`
 * request Slack sends when the request URL is set is answered with its challenge.
 */
import { z } from 'zod';
import { defineApplication, type RateLimit } from '../../applications/framework/application';
import { oneOf, type AuthMethod } from '../../applications/framework/auth';
import { secret } from '../../applications/framework/secret';
import { slackSignature } from '../../applications/framework/webhook-signature';

export const SLACK_API = 'https://slack.com/api';

/** Tier 2 (https://api.slack.com/apis/rate-limits#tier_t2): 20 calls a minute per method and workspace. */
export const SLACK_TIER_2: RateLimit = { requestsPerSecond: 20 / 60, scope: 'channel' };

/** Slack's `url_verification` request (https://api.slack.com/events/url_verification). */
const UrlVerification = z.object({ type: z.literal('url_verification'), challenge: z.string().min(1).max(1024) });

const SlackSettings = z.object({
  baseUrl: z.url().default(SLACK_API).describe('Slack Web API; https://slack.com/api unless a proxy or a test stands in'),
  defaultChannel: z.string().min(1).optional().describe('Conversation id (C…) or name (#general) the example flows post to'),
});

const SlackCredentials = z
  .object({
    botToken: secret('Bot User OAuth Token (xoxb-…), from the app\'s "OAuth & Permissions" page').optional(),
    clientId: z.string().min(1).optional().describe("The Slack app's client id: the channel is then installed through its OAuth connect link"),
    clientSecret: secret("The Slack app's client secret").optional(),
    webhookSecret: secret('Signing secret (the app\'s "Basic Information" page): verifies Events API requests').optional(),
  })
  .superRefine((credentials, ctx) => {
    const oauth = credentials.clientId !== undefined || credentials.clientSecret !== undefined;
    if (credentials.botToken !== undefined && oauth) ctx.addIssue({ code: 'custom', path: ['botToken'], message: 'give botToken, or clientId and clientSecret (an OAuth v2 install), not both' });
    else if (!oauth && credentials.botToken === undefined) ctx.addIssue({ code: 'custom', path: ['botToken'], message: 'give botToken, or clientId and clientSecret (an OAuth v2 install)' });
    else if (oauth)
      for (const field of (['clientId', 'clientSecret'] as const).filter((f) => credentials[f] === undefined))
        ctx.addIssue({ code: 'custom', path: [field], message: 'an OAuth v2 install needs clientId and clientSecret' });
  });

type SlackSettings = z.output<typeof SlackSettings>;
type SlackCredentials = z.output<typeof SlackCredentials>;

/** The bot scopes the connectors need: chat.*, conversations.*, users.*. */
export const SLACK_BOT_SCOPES = ['chat:write', 'channels:read', 'channels:history', 'groups:read', 'groups:history', 'users:read', 'users:read.email'] as const;

/**
 * Slack's token answer made RFC 6749's: `ok: false` is an error answer (whatever its HTTP status),
 * and the bot token's `token_type: "bot"` is a bearer token (sent as one).
 */
export function slackTokenResponse(body: Record<string, unknown>): Record<string, unknown> {
  if (body.ok === false) return { error: typeof body.error === 'string' ? body.error : 'unknown_error' };
  return body.token_type === 'bot' ? { ...body, token_type: 'bearer' } : body;
}

const botToken: AuthMethod<SlackCredentials, SlackSettings> = { kind: 'bearer', token: (credentials) => credentials.botToken ?? '' };

const oauthV2: AuthMethod<SlackCredentials, SlackSettings> = {
  kind: 'oauth2-authorization-code',
  // The consent page is on slack.com itself, the token exchange a Web API method (oauth.v2.access).
  endpoints: (settings) => {
    const api = settings.baseUrl.replace(/\/+$/, '');
    const web = new URL(api).origin;
    return { issuer: web, authorizationUrl: `${web}/oauth/v2/authorize`, tokenUrl: `${api}/oauth.v2.access` };
  },
  client: (credentials) => ({ clientId: credentials.clientId ?? '', clientSecret: credentials.clientSecret }),
  scopes: SLACK_BOT_SCOPES,
  scopeSeparator: ',',
  tokenResponse: slackTokenResponse,
};

export const slack = defineApplication({
  name: 'slack',
  title: 'Slack',
  settings: SlackSettings,
  credentials: SlackCredentials,
  baseUrl: (settings) => settings.baseUrl.replace(/\/+$/, ''),
  // Slack's Web API lives on slack.com only; loopback is for the tests' stand-in.
  allowedHosts: ['slack.com', 'localhost', '127.0.0.1'],
  auth: oneOf([botToken, oauthV2], (credentials) => (credentials.botToken !== undefined ? botToken : oauthV2)),
  headers: { accept: 'application/json' },
  timeoutMs: 15_000,
  // Slack limits each method per workspace, in tiers (https://api.slack.com/apis/rate-limits):
  // Tier 2 ~20/min (conversations.list, users.list: their connectors declare SLACK_TIER_2 and get
  // a queue of their own), Tier 3 ~50/min (conversations.history, users.lookupByEmail, chat.update),
  // chat.postMessage ~1/s per conversation. The others share Tier 3's, per channel (one channel
  // is one workspace); a 429 with Retry-After from a stricter limit still waits as Slack asks.
  rateLimit: { requestsPerSecond: 50 / 60, scope: 'channel' },
  webhooks: {
    signature: slackSignature(),
    secret: (credentials) => credentials.webhookSecret,
    handshake: (body) => {
      const verification = UrlVerification.safeParse(body);
      return verification.success ? { challenge: verification.data.challenge } : undefined;
    },
  },
});
