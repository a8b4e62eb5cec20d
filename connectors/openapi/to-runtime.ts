/**
 * Builds the application and its connectors from a stored ImportedSpec, so imported actions run
 * through exactly the same framework as hand-written ones (auth, timeouts, evaluation, logs).
 */
import { z } from 'zod';
import { defineApplication, type Application } from '../../applications/framework/application';
import type { Auth } from '../../applications/framework/auth';
import { secret } from '../../applications/framework/secret';
import { defineConnector, type Connector } from '../framework/connector';
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
  });
}

export function importedRuntime(spec: ImportedSpec): ImportedRuntime {
  const { credentials, auth } = credentialsFor(spec);
  const defaultServer = spec.servers.find((url) => /^https?:\/\//.test(url));
  const application = defineApplication({
    name: applicationName(spec.slug, spec.version),
    title: `${spec.title} (v${spec.version}, imported)`,
    // The document's server is the default; a channel may point elsewhere (another region, a proxy).
    settings: defaultServer
      ? z.object({ baseUrl: z.url().optional().describe(`Base URL; default ${defaultServer}`) })
      : z.object({ baseUrl: z.url().describe('Base URL (the document names no absolute server)') }),
    credentials,
    baseUrl: (settings: { baseUrl?: string }) => settings.baseUrl ?? defaultServer!,
    auth: auth as Auth<unknown, unknown>,
    headers: { accept: 'application/json' },
  });
  return { application, connectors: new Map(spec.actions.map((action) => [action.name, connectorFor(spec, application, action)])) };
}
