/** The shapes the console reads, as the API's Swagger document gives them (see /docs); api/console/web-types.check.ts holds them to the API's own types. */
export type JsonSchema = Record<string, unknown>;
export type Scope = 'read' | 'operate' | 'admin';

export interface Me {
  keyId: string;
  name: string;
  scopes: Scope[];
}

export type AuthKind = 'none' | 'basic' | 'api-key' | 'bearer' | 'oauth2-authorization-code' | 'oauth2-client-credentials' | 'one-of';

export interface Application {
  name: string;
  title: string;
  auth: { kind: AuthKind; methods?: Array<{ kind: AuthKind }> };
  settingsSchema: JsonSchema;
  credentialsSchema: JsonSchema;
}

export interface Action {
  name: string;
  description: string;
  inputSchema: JsonSchema;
  outputSchema: JsonSchema;
}

export interface ApplicationDetail extends Application {
  actions: Action[];
}

export type AuthStatus = 'not-required' | 'configured' | 'authorization-required' | 'authorized' | 'reauthorization-required';

export interface Channel {
  id: string;
  application: string;
  name: string;
  settings: Record<string, unknown>;
  credentials: Record<string, string>;
  enabled: boolean;
  authStatus: AuthStatus;
  webhooks: Array<{ flow: string; url: string }>;
  createdAt: string;
  updatedAt: string;
}

export interface Schedule {
  channelId: string;
  flow: string;
  scheduleId: string;
  paused: boolean;
  note: string | null;
  nextRunAt: string | null;
  lastRunAt: string | null;
}

export type Trigger = 'polling' | 'webhook' | 'manual' | 'backfill';

export interface Run {
  workflowId: string;
  runId: string;
  flow: string;
  channelId: string | null;
  application: string | null;
  trigger: Trigger | null;
  status: string;
  startTime: string;
  closeTime: string | null;
  failure: { message: string; type: string | null } | null;
  webUiUrl: string | null;
}

export interface RunProgress {
  workflowId: string;
  runId: string;
  status: string;
  progress: ({ pages: number; cursor: string | null } & Record<string, number | string | null>) | null;
}

export interface Flow {
  name: string;
  application?: string | null;
  trigger: { type: string } & Record<string, unknown>;
}

export interface ImportResult {
  application: string;
  slug: string;
  version: number;
  title: string;
  actions: number;
  created: boolean;
  unsupported: Array<{ location: string; message: string }>;
  warnings: Array<{ location: string; message: string }>;
  durationMs: number;
}
