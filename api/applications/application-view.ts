/** How an application is shown by GET /applications: its auth kind and its forms. The zod schema is the type and the Swagger schema. */
import { z } from 'zod';
import type { Application } from '../../applications/framework/application';
import type { AuthKind } from '../../applications/framework/auth';
import { responseDto, type Fits } from '../common/openapi';

const JsonSchema = z.record(z.string(), z.unknown());

export const ApplicationView = z.object({
  name: z.string().meta({ example: 'demo-crm' }),
  title: z.string(),
  auth: z.object({ kind: z.enum(['none', 'basic', 'api-key', 'bearer', 'oauth2-authorization-code', 'oauth2-client-credentials']) }),
  settingsSchema: JsonSchema.describe('JSON Schema of the settings form'),
  credentialsSchema: JsonSchema.describe('JSON Schema of the credentials form: every property is writeOnly; secrets also have format: password'),
});
export type ApplicationView = z.infer<typeof ApplicationView>;
export class ApplicationResponse extends responseDto(ApplicationView) {}

/** Every auth kind of the framework is in the schema. */
export type Checks = Fits<AuthKind, ApplicationView['auth']['kind']>;

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
    auth: { kind: app.auth.kind },
    settingsSchema: z.toJSONSchema(app.settings, { io: 'input' }) as Record<string, unknown>,
    credentialsSchema: writeOnlyProperties(z.toJSONSchema(app.credentials, { io: 'input' }) as Record<string, unknown>),
  };
}
