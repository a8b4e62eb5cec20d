/**
 * The application file beside a committed OpenAPI document (`applications/<name>/application.yaml`,
 * or `.json`): what a document cannot say, or says otherwise than the service behaves.
 *
 * ```yaml
 * title: Inventory
 * baseUrl: https://api.inventory.example/v1      # default base URL, instead of servers[0]
 * allowedHosts: [api.inventory.example, localhost, 127.0.0.1]
 * auth: { kind: api-key, in: header, name: X-Api-Key }   # instead of the document's securitySchemes
 * rateLimit: { requestsPerSecond: 5, scope: channel }
 * idempotencyKeyHeader: Idempotency-Key           # writes carry a key that stays the same across retries
 * pagination:
 *   listItems: { style: cursor, param: cursor, next: nextCursor }
 * webhooks:
 *   signature: { scheme: standard-webhooks }     # or hmac-sha256 {header, encoding, prefix}, github, shopify, stripe, slack, shared-secret {header}
 * ```
 *
 * The hosts credentials go to are pinned as for an application written in code: `allowedHosts`
 * when given, else the hosts of the document's servers, of the base URL and of the OAuth
 * endpoints (and loopback, as code-defined applications pin it for their tests, which the egress
 * policy refuses unless EGRESS_ALLOW lets it through). Every URL the file or the document sends
 * credentials to by default must be inside them (https, the default port unless a pattern names
 * one), or the file is refused, naming the field.
 */
import { z } from 'zod';
import { HOST_PATTERN, hostPatternOf, urlRefusal } from '../../applications/framework/allowed-hosts';
import {
  githubSignature,
  hmacSha256,
  sharedSecretHeader,
  shopifySignature,
  slackSignature,
  standardWebhooksSignature,
  stripeSignature,
  type SignatureScheme,
} from '../../applications/framework/webhook-signature';
import { importedPagination, PaginationDeclaration } from './pagination-declaration';
import type { ImportedAuth, ImportedSpec, ImportIssue, WebhookSignatureSetting } from './spec';

const HttpUrl = z.url({ protocol: /^https?$/, error: 'an absolute http(s) URL' });
const Header = z
  .string()
  .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/, 'a header name')
  .transform((name) => name.toLowerCase());
const Tolerance = z.number().int().min(1).max(86_400).optional();
const Scopes = z.array(z.string().min(1)).max(100).default([]);

const Auth = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('none') }),
  z.strictObject({ kind: z.literal('api-key'), in: z.enum(['header', 'query']), name: z.string().min(1).max(100) }),
  z.strictObject({ kind: z.literal('basic') }),
  z.strictObject({ kind: z.literal('bearer') }),
  z.strictObject({ kind: z.literal('oauth2-authorization-code'), authorizationUrl: HttpUrl, tokenUrl: HttpUrl, scopes: Scopes }),
  z.strictObject({ kind: z.literal('oauth2-client-credentials'), tokenUrl: HttpUrl, scopes: Scopes }),
]);

const Signature = z.discriminatedUnion('scheme', [
  z.strictObject({ scheme: z.literal('hmac-sha256'), header: Header, encoding: z.enum(['hex', 'base64']), prefix: z.string().max(50).optional() }),
  z.strictObject({ scheme: z.literal('github') }),
  z.strictObject({ scheme: z.literal('shopify') }),
  z.strictObject({ scheme: z.literal('stripe'), toleranceSeconds: Tolerance }),
  z.strictObject({ scheme: z.literal('slack'), toleranceSeconds: Tolerance }),
  z.strictObject({ scheme: z.literal('standard-webhooks'), toleranceSeconds: Tolerance }),
  z.strictObject({ scheme: z.literal('shared-secret'), header: Header }),
]);

export const ApplicationFile = z.strictObject({
  title: z.string().min(1).max(200).optional(),
  baseUrl: HttpUrl.optional(),
  allowedHosts: z.array(z.string().regex(HOST_PATTERN, 'a host (api.example.com, *.example.com, 127.0.0.1, [::1]), optionally :port')).min(1).max(50).optional(),
  auth: Auth.optional(),
  rateLimit: z.strictObject({ requestsPerSecond: z.number().positive().max(10_000), scope: z.enum(['channel', 'application']).optional() }).optional(),
  idempotencyKeyHeader: z
    .string()
    .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/, 'a header name')
    .optional(),
  pagination: z.record(z.string(), PaginationDeclaration).optional(),
  webhooks: z.strictObject({ signature: Signature }).optional(),
});
export type ApplicationFile = z.infer<typeof ApplicationFile>;

/** The application file cannot be used; `issues` name each field. */
export class ApplicationFileError extends Error {
  constructor(
    readonly source: string,
    readonly issues: ImportIssue[],
  ) {
    super(`${source}: ${issues.map((issue) => `${issue.location}: ${issue.message}`).join('; ')}`);
  }
}

export function parseApplicationFile(value: unknown, source: string): ApplicationFile {
  const parsed = ApplicationFile.safeParse(value ?? {});
  if (!parsed.success)
    throw new ApplicationFileError(
      source,
      parsed.error.issues.map((issue) => ({ location: issue.path.join('.') || '(root)', message: issue.message })),
    );
  return parsed.data;
}

/** The spec as the application file changes it: auth, title, pagination per action, and the settings kept for the runtime. Throws ApplicationFileError. */
export function applyApplicationFile(spec: ImportedSpec, file: ApplicationFile, source: string | undefined): ImportedSpec {
  const issues: ImportIssue[] = [];
  const actions = spec.actions.map((action) => ({ ...action }));
  for (const [name, declaration] of Object.entries(file.pagination ?? {})) {
    const action = actions.find((candidate) => candidate.name === name);
    if (!action) {
      issues.push({ location: `pagination.${name}`, message: `the document has no action "${name}" (actions are named from operationId in camelCase)` });
      continue;
    }
    const pagination = importedPagination(declaration, action);
    if (pagination === null) delete action.pagination;
    else if ('error' in pagination) issues.push({ location: `pagination.${name}`, message: pagination.error });
    else action.pagination = pagination;
  }
  const application = {
    ...(source ? { source } : {}),
    ...(file.baseUrl ? { baseUrl: file.baseUrl } : {}),
    ...(file.allowedHosts ? { allowedHosts: file.allowedHosts } : {}),
    ...(file.rateLimit ? { rateLimit: file.rateLimit } : {}),
    ...(file.idempotencyKeyHeader ? { idempotencyKeyHeader: file.idempotencyKeyHeader } : {}),
    ...(file.webhooks ? { webhooks: { signature: file.webhooks.signature as WebhookSignatureSetting } } : {}),
  };
  const applied: ImportedSpec = { ...spec, title: file.title ?? spec.title, auth: (file.auth as ImportedAuth | undefined) ?? spec.auth, actions, application };
  issues.push(...hostIssues(applied));
  if (issues.length > 0) throw new ApplicationFileError(source ?? 'application', issues);
  return applied;
}

/** The document's first absolute server, or the application file's base URL: where a channel's requests go unless its settings say otherwise. */
export function defaultBaseUrl(spec: ImportedSpec): string | undefined {
  return spec.application?.baseUrl ?? spec.servers.find((url) => /^https?:\/\//.test(url) && URL.canParse(url));
}

/** The URLs credentials go to when a channel says nothing else, with where each is written. */
function credentialUrls(spec: ImportedSpec): Array<{ location: string; url: string }> {
  const urls: Array<{ location: string; url: string }> = [];
  const base = defaultBaseUrl(spec);
  if (base) urls.push({ location: spec.application?.baseUrl ? 'baseUrl' : `servers[${spec.servers.indexOf(base)}]`, url: base });
  const auth = spec.auth;
  if (auth.kind === 'oauth2-authorization-code') urls.push({ location: 'auth.authorizationUrl', url: auth.authorizationUrl });
  if (auth.kind === 'oauth2-authorization-code' || auth.kind === 'oauth2-client-credentials') urls.push({ location: 'auth.tokenUrl', url: auth.tokenUrl });
  return urls;
}

/** Loopback, as the applications written in code pin it for their tests' fakes; the egress policy refuses it unless EGRESS_ALLOW lets it through. */
const LOOPBACK = ['localhost', '127.0.0.1'];

/**
 * The hosts a channel's settings may point at: the application file's, else those of the URLs
 * the document and file send credentials to, and loopback. Undefined (any host the egress policy
 * allows) only for a document that names no absolute URL at all, whose channels must give one.
 */
export function allowedHostsOf(spec: ImportedSpec): string[] | undefined {
  if (spec.application?.allowedHosts) return spec.application.allowedHosts;
  const servers = spec.servers.filter((url) => /^https?:\/\//.test(url) && URL.canParse(url));
  const derived = [...servers, ...credentialUrls(spec).map(({ url }) => url)].filter((url) => URL.canParse(url)).map((url) => hostPatternOf(new URL(url)));
  return derived.length > 0 ? [...new Set([...derived, ...LOOPBACK])] : undefined;
}

/** Where the application file points credentials outside its own hosts, or over plain http. */
function hostIssues(spec: ImportedSpec): ImportIssue[] {
  const allowed = allowedHostsOf(spec);
  if (!allowed) return [];
  return credentialUrls(spec).flatMap(({ location, url }) => {
    const refusal = URL.canParse(url) ? urlRefusal(new URL(url), allowed, spec.slug) : `${url} is not an absolute URL`;
    return refusal ? [{ location, message: refusal }] : [];
  });
}

/** The framework's scheme for a setting. */
export function signatureScheme(setting: WebhookSignatureSetting): SignatureScheme {
  switch (setting.scheme) {
    case 'hmac-sha256':
      return hmacSha256({ header: setting.header, encoding: setting.encoding, ...(setting.prefix !== undefined ? { prefix: setting.prefix } : {}) });
    case 'github':
      return githubSignature();
    case 'shopify':
      return shopifySignature();
    case 'stripe':
      return stripeSignature({ toleranceSeconds: setting.toleranceSeconds });
    case 'slack':
      return slackSignature({ toleranceSeconds: setting.toleranceSeconds });
    case 'standard-webhooks':
      return standardWebhooksSignature({ toleranceSeconds: setting.toleranceSeconds });
    case 'shared-secret':
      return sharedSecretHeader({ header: setting.header });
  }
}
