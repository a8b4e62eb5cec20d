/**
 * An application is one remote service: where it lives, how requests to it authenticate, what
 * every request shares, and which settings and credentials a channel of it needs.
 */
import type { z } from 'zod';
import type { RequestSpec } from '../../connectors/framework/connector';
import { authFor, type Auth, type AuthMethod } from './auth';
import type { RequestHook } from './request-hook';
import type { SignatureScheme } from './webhook-signature';

/**
 * Type-only: whether the application declares a webhook signature scheme (`true` when
 * defineApplication is given `webhooks`). A webhook flow without `verification: unsigned()` needs
 * `true` (see workflows/framework/flow.ts), so forgetting to verify deliveries is a compile error.
 */
export declare const verifiesWebhookSignatures: unique symbol;
/** What a webhook flow without `unsigned()` requires of its application (a compile error names this key). */
export interface VerifiesWebhookSignatures {
  readonly [verifiesWebhookSignatures]?: true;
}

/** Calls per second, for all channels together (`application`, the default) or for each channel on its own. */
export interface RateLimit {
  requestsPerSecond: number;
  scope?: 'channel' | 'application';
}

export interface ApplicationDefinition<Settings extends z.ZodType = z.ZodType, Credentials extends z.ZodType = z.ZodType, Signed extends boolean = boolean, Name extends string = string> {
  readonly [verifiesWebhookSignatures]?: Signed;
  /**
   * Stable identifier, kebab-case: used in channel records, search attributes and URLs. Its
   * camelCase is the catalog key flows call the connectors by (`demo-crm` → `demoCrm`).
   */
  name: Name;
  title: string;
  settings: Settings;
  credentials: Credentials;
  baseUrl: (settings: z.output<NoInfer<Settings>>) => string;
  /**
   * The only hosts a channel's settings may point at (its base URL and OAuth endpoints), e.g.
   * `['api.hubspot.com']` or `['*.myshopify.com']` (`*.` stands for one DNS label). Settings
   * pointing elsewhere are refused when a channel is created or changed, so credentials cannot be
   * sent to a host the application never lives on, and only over https on the default port unless
   * the pattern names one (`api.example.com:8443`); loopback (the demo, tests) may use http and any
   * port. Without it, any host the egress policy allows.
   */
  allowedHosts?: readonly string[];
  auth: Auth<z.output<NoInfer<Credentials>>, z.output<NoInfer<Settings>>>;
  /** Headers every request to this service carries. */
  headers?: Record<string, string>;
  /** Per-request timeout unless a connector says otherwise. */
  timeoutMs?: number;
  /**
   * The header this service reads idempotency keys from (e.g. `Idempotency-Key`). Writes then carry
   * a key that stays the same across retries of one activity, so a retried write applies once.
   */
  idempotencyKeyHeader?: string;
  /**
   * Requests per second, across all workers: this application's calls get their own task queue,
   * where Temporal enforces the limit. `scope: 'channel'` (what most SaaS APIs mean: a limit per
   * account) limits each channel on its own, so one busy customer does not slow the others;
   * `'application'` (the default) limits all channels together.
   */
  rateLimit?: RateLimit;
  /** Sent as User-Agent instead of the engine's `<product>/<version>`. */
  userAgent?: string;
  /**
   * Runs on every request after auth, with the bytes that will be sent: sign the whole request
   * (AWS SigV4, HMAC request signing) or add a token minted per request (a GitHub App's
   * installation token). What it sets counts as credentials: it never follows a redirect to
   * another origin and is redacted from logs.
   */
  requestHook?: RequestHook<z.output<NoInfer<Credentials>>, z.output<NoInfer<Settings>>>;
  /** How this service's webhook deliveries prove they come from it (see webhook-signature.ts). */
  webhooks?: WebhookVerification<z.output<NoInfer<Credentials>>>;
}

export interface WebhookVerification<Credentials> {
  signature: SignatureScheme;
  /** The signing secret, a field of each channel's credentials. */
  secret: (credentials: Credentials) => string | undefined;
  /**
   * How to register and remove a webhook at the remote service. With it, enabling a channel
   * subscribes `<PUBLIC_URL>/webhooks/<path>/<channel id>` for each of the application's webhook
   * flows (the channel's secret goes along for signing); disabling or deleting it unsubscribes.
   */
  subscription?: WebhookSubscriptionRequests;
  /**
   * A provider's handshake request on the webhook URL (Slack's `url_verification`), checked after
   * the signature: return the JSON to answer at once with 200 (e.g. `{ challenge }`), and no flow
   * starts; `undefined` for an ordinary delivery.
   */
  handshake?: (body: unknown) => unknown;
}

export interface WebhookSubscriptionRequests {
  /** `settings` are the channel's, parsed (e.g. the repository whose hooks GitHub registers it on). */
  register(target: { url: string; secret: string; settings: unknown }): RequestSpec;
  /** The remote's id of the subscription just registered, read from its answer. */
  subscriptionId(body: unknown): string;
  remove(subscriptionId: string): RequestSpec;
}

export type Application<S extends z.ZodType = z.ZodType, C extends z.ZodType = z.ZodType, Signed extends boolean = boolean, Name extends string = string> = Readonly<
  ApplicationDefinition<S, C, Signed, Name>
>;

// kebab-case; imported OpenAPI applications add their version: `petstore@v2`.
const NAME = /^[a-z][a-z0-9-]*(@v\d+)?$/;

/** With `webhooks`, the application's type says it verifies signatures (`Application<S, C, true>`). */
export function defineApplication<const N extends string, S extends z.ZodType, C extends z.ZodType>(
  definition: ApplicationDefinition<S, C, boolean, N> & { webhooks: WebhookVerification<z.output<NoInfer<C>>> },
): Application<S, C, true, N>;
export function defineApplication<const N extends string, S extends z.ZodType, C extends z.ZodType>(definition: ApplicationDefinition<S, C, boolean, N>): Application<S, C, false, N>;
export function defineApplication<S extends z.ZodType, C extends z.ZodType>(definition: ApplicationDefinition<S, C>): Application<S, C> {
  if (!NAME.test(definition.name)) throw new Error(`application name "${definition.name}" must be kebab-case`);
  return Object.freeze({ ...definition });
}

/**
 * The auth method a channel with these stored credentials uses: `choose` sees them parsed (with
 * defaults), as connectors do; credentials that no longer parse are given as they are.
 */
export function authOf(app: Application, credentials: unknown): AuthMethod<unknown, unknown> {
  const parsed = app.credentials.safeParse(credentials);
  return authFor(app.auth, parsed.success ? parsed.data : credentials);
}
