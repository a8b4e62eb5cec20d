/**
 * The channels configured through the environment: one default channel per application that has
 * its configuration set. This is the embedded default until channels get a store of their own.
 */
import { z } from 'zod';
import type { Application } from '../applications/framework/application';
import type { Channel, ChannelDirectory } from './channel';

export function defaultChannelId(application: string): string {
  return `${application}-default`;
}

/** CHANNEL_<APP>_SETTINGS / CHANNEL_<APP>_CREDENTIALS hold JSON, e.g. CHANNEL_DEMO_CRM_SETTINGS. */
function envName(application: string, part: 'SETTINGS' | 'CREDENTIALS'): string {
  return `CHANNEL_${application.toUpperCase().replace(/-/g, '_')}_${part}`;
}

function parseJsonEnv(env: NodeJS.ProcessEnv, name: string): unknown {
  const raw = env[name];
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(raw);
  } catch (err) {
    throw new Error(`${name} is not valid JSON: ${(err as Error).message}`);
  }
}

export function channelsFromEnv(applications: readonly Application[], env: NodeJS.ProcessEnv = process.env): Channel[] {
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

export class StaticChannelDirectory implements ChannelDirectory {
  constructor(private readonly channels: readonly Channel[]) {}

  async get(id: string): Promise<Channel | undefined> {
    return this.channels.find((channel) => channel.id === id);
  }

  async listEnabled(application: string): Promise<Channel[]> {
    return this.channels.filter((channel) => channel.application === application && channel.enabled);
  }
}
