/**
 * Where `npm run dryrun` finds what the running system would use: the configuration store the
 * system's processes open (.data/engine.sqlite or DATABASE_URL, credentials keys as they have
 * them) and the channels the environment defines (CHANNEL_<APP>_SETTINGS / _CREDENTIALS, as the
 * default channel `<app>-default`). A store that was never created is not created here.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Channel } from '../../channels/channel';
import { channelsFromEnv, defaultChannelId } from '../../channels/env-channels';
import { codeApplications } from '../../connectors/catalog';
import type { ConnectorRegistry } from '../../connectors/registry';
import { openStore, type Store } from '../../store/open-store';
import type { Env } from '../config/environment';
import { dataDir } from '../data-dir';
import { UsageError } from '../usage-error';

/** The store, or undefined when there is none yet (no `npm start` ran here, and no DATABASE_URL). */
export async function openExistingStore(env: Env, warn: (line: string) => void): Promise<Store | undefined> {
  const dir = dataDir(env);
  if (!env.DATABASE_URL && !existsSync(join(dir, 'engine.sqlite'))) return undefined;
  return openStore(dir, warn, env);
}

export interface FoundChannel {
  channel: Channel;
  /** Where it came from, for the output. */
  source: string;
}

/** `id` from the environment (a default channel) first, else from the store. */
export async function findChannel(id: string, env: Env, store: Store | undefined, registry: ConnectorRegistry | undefined): Promise<FoundChannel> {
  const applications = registry ? await registry.applications() : [...codeApplications];
  const fromEnv = channelsFromEnv(applications, env).find((channel) => channel.id === id);
  if (fromEnv) return { channel: fromEnv, source: 'the environment (CHANNEL_<APP>_SETTINGS / _CREDENTIALS)' };
  const stored = await store?.channels.get(id);
  if (stored) return { channel: stored, source: `the store${env.DATABASE_URL ? ' (DATABASE_URL)' : ` (${join(dataDir(env), 'engine.sqlite')})`}` };
  const app = applications.find((candidate) => id === defaultChannelId(candidate.name));
  const hint = app
    ? `set CHANNEL_${app.name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_SETTINGS and _CREDENTIALS (JSON), or start the system once with them`
    : 'create it with POST /channels, or give a default channel <app>-default through CHANNEL_<APP>_SETTINGS and _CREDENTIALS';
  throw new UsageError(`no channel "${id}" in ${store ? 'the store' : 'the environment (and no store: the system has not run from this folder)'}: ${hint}`);
}
