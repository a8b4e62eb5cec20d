/**
 * Builds the application and its connectors from a stored ImportedSpec, so imported actions run
 * through exactly the same framework as hand-written ones (auth, timeouts, evaluation, logs).
 */
import { z } from 'zod';
import { defineApplication, type Application } from '../../applications/framework/application';
import type { Auth } from '../../applications/framework/auth';
import { secret } from '../../applications/framework/secret';
import { defineConnector, type Connector } from '../framework/connector';
import type { Paginator } from '../framework/pagination';
import { allowedHostsOf, defaultBaseUrl, signatureScheme } from './application-file';
import { importedPaginator } from './imported-paginator';
import { jsonSchemaValidator } from './json-schema';
import { bodyOf, headersOf, pathOf, queryOf } from './request-encoding';
import { applicationName, type ImportedAction, type ImportedSpec } from './spec';

export interface ImportedRuntime {
  application: Application;
  connectors: ReadonlyMap<string, Connector>;
}

function credentialsFor(spec: ImportedSpec): { credentials: z.ZodType; auth: Auth<Record<string, string>, { baseUrl?: string }> } {
  const auth = spec.auth;
  switch (auth.kind) {
    case 'none':
      return { credentials: z.object({}), auth: { kind: 'none' } };
    case 'api-key':
      return { credentials: z.object({ apiKey: secret(`sent as ${auth.in} ${auth.name}`) }), auth: { kind: 'api-key', in: auth.in, name: auth.name, key: (c) => c.apiKey! } };
    case 'basic':
      return { credentials: z.object({ username: z.string().min(1), password: secret() }), auth: { kind: 'basic', username: (c) => c.username!, password: (c) => c.password! } };
    case 'bearer':
      return { credentials: z.object({ token: secret('bearer token') }), auth: { kind: 'bearer', token: (c) => c.token! } };
    case 'oauth2-authorization-code':
    case 'oauth2-client-credentials': {
      const credentials = z.object({ clientId: z.string().min(1), clientSecret: secret() });
      const endpoints = () => ({ issuer: new URL(auth.tokenUrl).origin, tokenUrl: auth.tokenUrl, authorizationUrl: auth.kind === 'oauth2-authorization-code' ? auth.authorizationUrl : auth.tokenUrl });
      const client = (c: Record<string, string>) => ({ clientId: c.clientId!, clientSecret: c.clientSecret });
      return auth.kind === 'oauth2-authorization-code'
        ? { credentials, auth: { kind: auth.kind, endpoints, client, scopes: auth.scopes } }
        : { credentials, auth: { kind: auth.kind, endpoints, client, scopes: auth.scopes } };
    }
  }
}

/** One object: path, query and header parameters by name, and `body` (for multipart, file fields take FILE_INPUT_SCHEMA, see extract-body.ts). */
export function actionInputSchema(action: ImportedAction): object {
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  for (const parameter of action.parameters) {
    properties[parameter.name] = parameter.schema;
    if (parameter.required) required.push(parameter.name);
  }
  if (action.body) {
    properties.body = action.body.schema;
    if (action.body.required) required.push('body');
  }
  return { type: 'object', properties, required, additionalProperties: false };
}

function connectorFor(spec: ImportedSpec, application: Application, action: ImportedAction): Connector {
  return defineConnector({
    application,
    name: action.name,
    description: action.summary ?? `${action.method} ${action.path}`,
    input: jsonSchemaValidator(actionInputSchema(action), spec.components, spec.dialect) as z.ZodType<Record<string, unknown>>,
    output: action.output ? jsonSchemaValidator(action.output as object, spec.components, spec.dialect) : z.unknown(),
    request: (input: Record<string, unknown>) => ({
      method: action.method,
      path: pathOf(action, input),
      // Arrays and objects stay values: the HTTP layer serialises them per parameter style.
      ...queryOf(action, input),
      headers: headersOf(action, input),
      body: action.body ? bodyOf(action.body, input.body) : undefined,
    }),
    ...(action.pagination ? { pagination: () => importedPaginator(action.pagination!) as Paginator<never, never> } : {}),
  });
}

export function importedRuntime(spec: ImportedSpec): ImportedRuntime {
  const { credentials: documentCredentials, auth } = credentialsFor(spec);
  const defaultServer = defaultBaseUrl(spec);
  const signature = spec.application?.webhooks?.signature;
  // The webhook secret is `webhookSecret` in every application's credentials.
  const credentials: z.ZodType = signature
    ? (documentCredentials as z.ZodObject).extend({ webhookSecret: secret(`Secret the service signs webhook deliveries with (${signature.scheme})`).optional() })
    : documentCredentials;
  const allowedHosts = allowedHostsOf(spec);
  const application = defineApplication({
    name: applicationName(spec.slug, spec.version),
    title: `${spec.title} (v${spec.version}, imported)`,
    // The document's server is the default; a channel may point elsewhere (another region, a proxy) within the pinned hosts.
    settings: defaultServer
      ? z.object({ baseUrl: z.url().optional().describe(`Base URL; default ${defaultServer}`) })
      : z.object({ baseUrl: z.url().describe('Base URL (the document names no absolute server)') }),
    credentials,
    baseUrl: (settings: { baseUrl?: string }) => settings.baseUrl ?? defaultServer!,
    ...(allowedHosts ? { allowedHosts } : {}),
    auth: auth as Auth<unknown, unknown>,
    headers: { accept: 'application/json' },
    ...(spec.application?.rateLimit ? { rateLimit: spec.application.rateLimit } : {}),
    ...(spec.application?.idempotencyKeyHeader ? { idempotencyKeyHeader: spec.application.idempotencyKeyHeader } : {}),
    ...(signature ? { webhooks: { signature: signatureScheme(signature), secret: (c: unknown) => (c as { webhookSecret?: string }).webhookSecret } } : {}),
  });
  return { application, connectors: new Map(spec.actions.map((action) => [action.name, connectorFor(spec, application, action)])) };
}
