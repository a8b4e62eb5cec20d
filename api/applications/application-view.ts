import { z } from 'zod';
import type { Application } from '../../applications/framework/application';
import type { AuthKind } from '../../applications/framework/auth';

export interface ApplicationView {
  name: string;
  title: string;
  auth: { kind: AuthKind };
  settingsSchema: Record<string, unknown>;
  credentialsSchema: Record<string, unknown>;
}

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
