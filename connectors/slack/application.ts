/**
 * Slack's Web API (https://api.slack.com/web) with a bot token, and its Events API deliveries.
 *
 * Auth: a bot token (`xoxb-…`) sent as `Authorization: Bearer`. An application declares one auth
 * kind, and the bot token is what every Slack install ends with: Slack's OAuth v2 flow
 * (https://slack.com/oauth/v2/authorize, then oauth.v2.access) yields exactly this token, which
 * does not expire unless token rotation is on. The engine's OAuth kind cannot take Slack's token
 * answer as it is (see the README's Slack section), so the token is pasted into the channel.
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
import { defineApplication } from '../../applications/framework/application';
import { secret } from '../../applications/framework/secret';
import { slackSignature } from '../../applications/framework/webhook-signature';

export const SLACK_API = 'https://slack.com/api';

/** Slack's `url_verification` request (https://api.slack.com/events/url_verification). */
const UrlVerification = z.object({ type: z.literal('url_verification'), challenge: z.string().min(1).max(1024) });

export const slack = defineApplication({
  name: 'slack',
  title: 'Slack (bot token)',
  settings: z.object({
    baseUrl: z.url().default(SLACK_API).describe('Slack Web API; https://slack.com/api unless a proxy or a test stands in'),
    defaultChannel: z.string().min(1).optional().describe('Conversation id (C…) or name (#general) the example flows post to'),
  }),
  credentials: z.object({
    botToken: secret('Bot User OAuth Token (xoxb-…), from the app\'s "OAuth & Permissions" page or oauth.v2.access'),
    webhookSecret: secret('Signing secret (the app\'s "Basic Information" page): verifies Events API requests').optional(),
  }),
  baseUrl: (settings) => settings.baseUrl.replace(/\/+$/, ''),
  // Slack's Web API lives on slack.com only; loopback is for the tests' stand-in.
  allowedHosts: ['slack.com', 'localhost', '127.0.0.1'],
  auth: { kind: 'bearer', token: (credentials) => credentials.botToken },
  headers: { accept: 'application/json' },
  timeoutMs: 15_000,
  // Slack limits per workspace and method, in tiers (https://api.slack.com/apis/rate-limits):
  // Tier 2 ~20/min (conversations.list, users.list), Tier 3 ~50/min (conversations.history,
  // users.lookupByEmail, chat.update), chat.postMessage ~1/s per conversation. The engine has one
  // limit per application, so it is Tier 3's, per channel (one channel is one workspace); a 429
  // with Retry-After from a stricter tier still waits as Slack asks.
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
