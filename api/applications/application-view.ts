/** How an application is shown by GET /applications: its auth kind and its forms; GET /applications/:name adds its actions. The zod schema is the type and the Swagger schema. */
import { z } from 'zod';
import type { Application } from '../../applications/framework/application';
import { authMethods, type AuthKind } from '../../applications/framework/auth';
import type { Connector } from '../../connectors/framework/connector';
import { pointerSegments } from '../../connectors/openapi/refs';
import { isObject } from '../../connectors/openapi/schema-walk';
import type { ImportedAction, ImportedSpec } from '../../connectors/openapi/spec';
import { actionInputSchema } from '../../connectors/openapi/to-runtime';
import { responseDto, type Fits } from '../common/openapi';

const JsonSchema = z.record(z.string(), z.unknown());
const AUTH_KINDS = ['none', 'basic', 'api-key', 'bearer', 'oauth2-authorization-code', 'oauth2-client-credentials'] as const;

export const ApplicationView = z.object({
  name: z.string().meta({ example: 'demo-crm' }),
  title: z.string(),
  auth: z.object({
    kind: z.enum([...AUTH_KINDS, 'one-of']).describe('How a channel authenticates; `one-of`: by one of `methods`, chosen by the credentials it is given'),
    methods: z
      .array(z.object({ kind: z.enum(AUTH_KINDS) }))
      .optional()
      .describe('With `one-of`: the methods offered, in the order the application lists them'),
  }),
  settingsSchema: JsonSchema.describe('JSON Schema of the settings form'),
  credentialsSchema: JsonSchema.describe('JSON Schema of the credentials form: every property is writeOnly; secrets also have format: password'),
});
export type ApplicationView = z.infer<typeof ApplicationView>;
export class ApplicationResponse extends responseDto(ApplicationView) {}

/** Every auth kind of the framework is in the schema. */
export type Checks = Fits<AuthKind | 'one-of', ApplicationView['auth']['kind']>;

/** Credentials are write-only through the API (never returned), so the form says so for every field. */
function writeOnlyProperties(schema: Record<string, unknown>): Record<string, unknown> {
  const properties = schema.properties as Record<string, Record<string, unknown>> | undefined;
  if (!properties) return schema;
  return { ...schema, properties: Object.fromEntries(Object.entries(properties).map(([key, value]) => [key, { ...value, writeOnly: true }])) };
}

export function applicationView(app: Application): ApplicationView {
  return {
    name: app.name,
    title: app.title,
    auth: app.auth.kind === 'one-of' ? { kind: 'one-of', methods: authMethods(app.auth).map((method) => ({ kind: method.kind })) } : { kind: app.auth.kind },
    settingsSchema: z.toJSONSchema(app.settings, { io: 'input' }) as Record<string, unknown>,
    credentialsSchema: writeOnlyProperties(z.toJSONSchema(app.credentials, { io: 'input' }) as Record<string, unknown>),
  };
}

export const ActionView = z.object({
  name: z.string().meta({ example: 'listContacts' }),
  description: z.string(),
  inputSchema: JsonSchema.describe('JSON Schema of the input (`input` of POST /applications/{name}/actions/{action}/run)'),
  outputSchema: JsonSchema.describe('JSON Schema of the output; `{}` when the document gives none'),
});
export type ActionView = z.infer<typeof ActionView>;

export const ApplicationDetailView = ApplicationView.extend({
  actions: z.array(ActionView).describe('Every action (connector), by name'),
});
export type ApplicationDetailView = z.infer<typeof ApplicationDetailView>;
export class ApplicationDetailResponse extends responseDto(ApplicationDetailView) {}

/** A code-defined connector's schemas, as /flows renders a trigger's body: the input side of its input, the output side of its output. */
export function connectorView(connector: Connector): ActionView {
  return {
    name: connector.name,
    description: connector.description,
    inputSchema: z.toJSONSchema(connector.input, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>,
    outputSchema: z.toJSONSchema(connector.output, { io: 'output', unrepresentable: 'any' }) as Record<string, unknown>,
  };
}

/**
 * An imported action's schemas as the import stored them (the document's dialect: OpenAPI 3.0 or
 * JSON Schema 2020-12), with the `components` they reference beside them, so every
 * `#/components/...` reference resolves within the schema itself.
 */
export function importedActionView(spec: ImportedSpec, action: ImportedAction): ActionView {
  return {
    name: action.name,
    description: action.summary ?? `${action.method} ${action.path}`,
    inputSchema: withComponents(actionInputSchema(action) as Record<string, unknown>, spec.components),
    outputSchema: withComponents(isObject(action.output) ? action.output : {}, spec.components),
  };
}

/** `schema` with the components it references, directly or through other components. */
function withComponents(schema: Record<string, unknown>, components: unknown): Record<string, unknown> {
  const used: Record<string, Record<string, unknown>> = {};
  const pending = [schema as unknown];
  const seen = new Set<unknown>();
  while (pending.length > 0) {
    const value = pending.pop();
    if (!value || typeof value !== 'object' || seen.has(value)) continue;
    seen.add(value);
    const ref = (value as { $ref?: unknown }).$ref;
    if (typeof ref === 'string' && ref.startsWith('#/components/')) {
      // `#/components/schemas/Pet` or a place inside it: the whole component is kept.
      const [, kind, name] = pointerSegments(ref);
      const group = kind !== undefined && isObject(components) && Object.hasOwn(components, kind) ? components[kind] : undefined;
      if (name !== undefined && isObject(group) && Object.hasOwn(group, name)) {
        (used[kind!] ??= {})[name] = group[name];
        pending.push(group[name]);
      }
    }
    pending.push(...(Array.isArray(value) ? value : Object.values(value)));
  }
  return Object.keys(used).length > 0 ? { ...schema, components: used } : schema;
}
