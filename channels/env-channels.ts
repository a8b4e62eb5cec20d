/**
 * Channels configured through the environment: one default channel per application whose
 * CHANNEL_<APP>_SETTINGS / _CREDENTIALS are set (the demo uses this). They are seeded into the
 * store on start-up; everything else about channels goes through the API.
 */
import { z } from 'zod';
import type { Application } from '../applications/framework/application';
import type { ApplicationLookup } from '../connectors/registry';
import type { ChannelStore } from '../store/channel-store';
import { initialAuthStatus } from './auth-status';
import type { Channel } from './channel';
import type { Env } from '../runtime/config/environment';

export function defaultChannelId(application: string): string {
  return `${application}-default`;
}

/**
 * CHANNEL_<APP>_SETTINGS / CHANNEL_<APP>_CREDENTIALS hold JSON, e.g. CHANNEL_DEMO_CRM_SETTINGS, or
 * CHANNEL_PETSTORE_V1_SETTINGS for the imported `petstore@v1` (a shell cannot set a name with `@`).
 */
function envName(application: string, part: 'SETTINGS' | 'CREDENTIALS'): string {
  return `CHANNEL_${application.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_${part}`;
}

function parseJsonEnv(env: Env, name: string): unknown {
  const raw = env[name];
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(raw);
  } catch (err) {
    throw new Error(`${name} is not valid JSON: ${(err as Error).message}`);
  }
}

export function channelsFromEnv(applications: readonly Application[], env: Env): Channel[] {
  const channels: Channel[] = [];
  for (const app of applications) {
    const settings = parseJsonEnv(env, envName(app.name, 'SETTINGS'));
    const credentials = parseJsonEnv(env, envName(app.name, 'CREDENTIALS'));
    if (settings === undefined && credentials === undefined) continue;
    const parsedSettings = app.settings.safeParse(settings ?? {});
    if (!parsedSettings.success) throw new Error(`${envName(app.name, 'SETTINGS')}: ${z.prettifyError(parsedSettings.error)}`);
    // Credentials are validated without echoing values into the message.
    const parsedCredentials = app.credentials.safeParse(credentials ?? {});
    if (!parsedCredentials.success) {
      const fields = parsedCredentials.error.issues.map((issue) => issue.path.join('.') || '(root)').join(', ');
      throw new Error(`${envName(app.name, 'CREDENTIALS')}: invalid field(s) ${fields}`);
    }
    channels.push({
      id: defaultChannelId(app.name),
      application: app.name,
      name: `${app.title} (default)`,
      enabled: true,
      settings: parsedSettings.data,
      credentials: parsedCredentials.data,
    });
  }
  return channels;
}

/**
 * Writes the environment's channels into the store (same id every time, so a restart updates
 * instead of duplicating). Returns their ids. Applications come from the one lookup, so an
 * imported application can have a default channel too.
 */
export async function seedEnvChannels(store: ChannelStore, lookup: ApplicationLookup, env: Env): Promise<string[]> {
  const applications = await lookup.applications();
  const ids: string[] = [];
  for (const channel of channelsFromEnv(applications, env)) {
    const app = applications.find((a) => a.name === channel.application)!;
    await store.upsert({ ...channel, authStatus: initialAuthStatus(app, channel.credentials) });
    ids.push(channel.id);
  }
  return ids;
}
