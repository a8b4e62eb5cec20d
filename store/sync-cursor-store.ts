/**
 * Where each polling flow got to, per channel. Written only after the records up to the cursor
 * were processed, so a crash repeats work (harmless: writes are idempotent) but never skips any.
 */
import type { Kysely } from 'kysely';
import type { Database } from './schema';

export interface SyncCursor {
  channelId: string;
  flow: string;
  cursor: string;
  updatedAt: string;
}

export class SyncCursorStore {
  constructor(private readonly db: Kysely<Database>) {}

  async get(channelId: string, flow: string): Promise<SyncCursor | undefined> {
    const row = await this.db.selectFrom('sync_cursors').selectAll().where('channel_id', '=', channelId).where('flow', '=', flow).executeTakeFirst();
    return row && { channelId: row.channel_id, flow: row.flow, cursor: row.cursor, updatedAt: row.updated_at };
  }

  async list(channelId: string): Promise<SyncCursor[]> {
    const rows = await this.db.selectFrom('sync_cursors').selectAll().where('channel_id', '=', channelId).orderBy('flow').execute();
    return rows.map((row) => ({ channelId: row.channel_id, flow: row.flow, cursor: row.cursor, updatedAt: row.updated_at }));
  }

  async save(channelId: string, flow: string, cursor: string): Promise<void> {
    const updated_at = new Date().toISOString();
    await this.db
      .insertInto('sync_cursors')
      .values({ channel_id: channelId, flow, cursor, updated_at })
      .onConflict((oc) => oc.columns(['channel_id', 'flow']).doUpdateSet({ cursor, updated_at }))
      .execute();
  }

  /** Forgets where the flow got to: its next run starts from the beginning (a full resync). */
  async reset(channelId: string, flow?: string): Promise<void> {
    let query = this.db.deleteFrom('sync_cursors').where('channel_id', '=', channelId);
    if (flow) query = query.where('flow', '=', flow);
    await query.execute();
  }
}
