/**
 * Channels in the store. Credentials are sealed before they are written and opened only when a
 * caller asks for a whole channel (the activity that runs a connector); listings for the API get
 * them too, but the API masks them before answering.
 */
import { randomBytes } from 'node:crypto';
import { sql, type Insertable, type Kysely, type Selectable, type Updateable } from 'kysely';
import type { Channel, ChannelDirectory } from '../channels/channel';
import type { CredentialCipher } from './credential-cipher';
import type { ChannelsTable, Database } from './schema';

export type AuthStatus = 'not-required' | 'configured' | 'authorization-required' | 'authorized' | 'reauthorization-required';

export interface StoredChannel extends Channel {
  authStatus: AuthStatus;
  createdAt: string;
  updatedAt: string;
  /** Moves on with every write; `update(…, { ifVersion })` writes only over the version it names. */
  version: number;
}

export interface NewChannel {
  id?: string;
  application: string;
  name: string;
  settings: unknown;
  credentials: unknown;
  enabled: boolean;
  authStatus: AuthStatus;
}

export type ChannelPatch = Partial<Pick<StoredChannel, 'application' | 'name' | 'settings' | 'credentials' | 'enabled' | 'authStatus'>>;

export interface UpdateOptions {
  /** Write only if the channel is still at this version: a caller that checked an older one must read again. */
  ifVersion?: number;
  /** Runs in the same transaction, once the row is written: readers see both changes or neither. */
  together?: (tx: Kysely<Database>) => Promise<void>;
}

export function newChannelId(): string {
  return `ch_${randomBytes(9).toString('base64url').replace(/[-_]/g, 'x')}`;
}

export class ChannelStore implements ChannelDirectory {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly cipher: CredentialCipher,
  ) {}

  /** Throws when the database does not answer: for health checks. */
  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }

  async create(channel: NewChannel): Promise<StoredChannel> {
    const now = new Date().toISOString();
    const id = channel.id ?? newChannelId();
    await this.db
      .insertInto('channels')
      .values(this.toRow({ ...channel, id, createdAt: now, updatedAt: now }))
      .execute();
    return (await this.get(id))!;
  }

  /** Creates or replaces a channel with a fixed id (channels configured through the environment). */
  async upsert(channel: NewChannel & { id: string }): Promise<StoredChannel> {
    const now = new Date().toISOString();
    const row = this.toRow({ ...channel, createdAt: now, updatedAt: now });
    await this.db
      .insertInto('channels')
      .values(row)
      .onConflict((oc) =>
        oc
          .column('id')
          .doUpdateSet((eb) => ({ application: row.application, name: row.name, settings: row.settings, credentials: row.credentials, updated_at: now, version: eb('channels.version', '+', 1) })),
      )
      .execute();
    return (await this.get(channel.id))!;
  }

  async get(id: string): Promise<StoredChannel | undefined> {
    const row = await this.db.selectFrom('channels').selectAll().where('id', '=', id).executeTakeFirst();
    return row && this.fromRow(row);
  }

  async list(): Promise<StoredChannel[]> {
    const rows = await this.db.selectFrom('channels').selectAll().orderBy('created_at').orderBy('id').execute();
    return rows.map((row) => this.fromRow(row));
  }

  async listEnabled(application: string): Promise<StoredChannel[]> {
    const rows = await this.db.selectFrom('channels').selectAll().where('application', '=', application).where('enabled', '=', 1).orderBy('created_at').execute();
    return rows.map((row) => this.fromRow(row));
  }

  /** The channel as written, or undefined when there is none (or it is no longer at `ifVersion`). */
  async update(id: string, patch: ChannelPatch, options: UpdateOptions = {}): Promise<StoredChannel | undefined> {
    const set: Updateable<ChannelsTable> = { updated_at: new Date().toISOString() };
    if (patch.application !== undefined) set.application = patch.application;
    if (patch.name !== undefined) set.name = patch.name;
    if (patch.settings !== undefined) set.settings = JSON.stringify(patch.settings);
    if (patch.credentials !== undefined) set.credentials = this.cipher.seal(JSON.stringify(patch.credentials), id);
    if (patch.enabled !== undefined) set.enabled = patch.enabled ? 1 : 0;
    if (patch.authStatus !== undefined) set.auth_status = patch.authStatus;
    const { ifVersion, together } = options;
    const write = async (db: Kysely<Database>) => {
      let query = db
        .updateTable('channels')
        .set(set)
        .set((eb) => ({ version: eb('version', '+', 1) }))
        .where('id', '=', id);
      if (ifVersion !== undefined) query = query.where('version', '=', ifVersion);
      // Returned by the write itself: a read after it could already see someone else's change.
      const row = await query.returningAll().executeTakeFirst();
      if (row && together) await together(db);
      return row;
    };
    const row = together ? await this.db.transaction().execute(write) : await write(this.db);
    return row && this.fromRow(row);
  }

  async markReauthorizationRequired(id: string): Promise<void> {
    await this.update(id, { authStatus: 'reauthorization-required' });
  }

  async delete(id: string): Promise<boolean> {
    return this.db.transaction().execute(async (tx) => {
      // A channel's sync state goes with it: a new channel reusing the id starts from the beginning.
      await tx.deleteFrom('sync_cursors').where('channel_id', '=', id).execute();
      await tx.deleteFrom('webhook_subscriptions').where('channel_id', '=', id).execute();
      const result = await tx.deleteFrom('channels').where('id', '=', id).executeTakeFirst();
      return result.numDeletedRows > 0n;
    });
  }

  /** Re-seals every credential sealed with an older key; returns how many were re-sealed. */
  async reseal(): Promise<number> {
    let count = 0;
    for (const row of await this.db.selectFrom('channels').select(['id', 'credentials']).execute()) {
      if (!this.cipher.isStale(row.credentials)) continue;
      const credentials = this.cipher.seal(this.cipher.open(row.credentials, row.id), row.id);
      await this.db.updateTable('channels').set({ credentials }).where('id', '=', row.id).where('credentials', '=', row.credentials).execute();
      count += 1;
    }
    for (const row of await this.db.selectFrom('channel_tokens').select(['channel_id', 'tokens']).execute()) {
      if (!this.cipher.isStale(row.tokens)) continue;
      const tokens = this.cipher.seal(this.cipher.open(row.tokens, row.channel_id), row.channel_id);
      await this.db.updateTable('channel_tokens').set({ tokens }).where('channel_id', '=', row.channel_id).where('tokens', '=', row.tokens).execute();
      count += 1;
    }
    return count;
  }

  private toRow(channel: NewChannel & { id: string; createdAt: string; updatedAt: string }): Insertable<ChannelsTable> {
    return {
      id: channel.id,
      application: channel.application,
      name: channel.name,
      settings: JSON.stringify(channel.settings ?? {}),
      credentials: this.cipher.seal(JSON.stringify(channel.credentials ?? {}), channel.id),
      enabled: channel.enabled ? 1 : 0,
      auth_status: channel.authStatus,
      created_at: channel.createdAt,
      updated_at: channel.updatedAt,
    };
  }

  private fromRow(row: Selectable<ChannelsTable>): StoredChannel {
    return {
      id: row.id,
      application: row.application,
      name: row.name,
      enabled: Number(row.enabled) === 1,
      settings: JSON.parse(row.settings),
      credentials: JSON.parse(this.cipher.open(row.credentials, row.id)),
      authStatus: row.auth_status as AuthStatus,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      version: Number(row.version),
    };
  }
}
