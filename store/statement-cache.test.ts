/**
 * Kept statements against a real SQLite file: a kept statement still reads what another connection
 * (another process, in production) wrote since, and a query run again while its statement is still
 * being iterated gets a statement of its own.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from './schema';
import { withStatementCache } from './statement-cache';
import { openDatabase } from './database';

async function twoConnections() {
  const file = join(mkdtempSync(join(tmpdir(), 'engine-statements-')), 'store.sqlite');
  const writer = await openDatabase({ kind: 'sqlite', file });
  const sqlite = new SQLite(file);
  let prepared = 0;
  const counting = new Proxy(sqlite, {
    get: (target, key) =>
      key === 'prepare'
        ? (text: string) => {
            prepared += 1;
            return target.prepare(text);
          }
        : Reflect.get(target, key, target),
  });
  const reader = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(counting) }) });
  return { writer, reader, prepared: () => prepared, close: async () => Promise.all([writer.destroy(), reader.destroy()]) };
}

const cursor = (channelId: string, value: string) => ({ channel_id: channelId, flow: 'sync', cursor: value, updated_at: new Date().toISOString() });
const readCursor = (db: Kysely<Database>, channelId: string) => db.selectFrom('sync_cursors').select('cursor').where('channel_id', '=', channelId).executeTakeFirst();

it('prepares a query once and still reads what another connection wrote since', async () => {
  const { writer, reader, prepared, close } = await twoConnections();
  try {
    expect(await readCursor(reader, 'ch_1')).toBeUndefined();
    const once = prepared();
    await writer.insertInto('sync_cursors').values(cursor('ch_1', 'a')).execute();
    expect(await readCursor(reader, 'ch_1')).toEqual({ cursor: 'a' });
    await writer.updateTable('sync_cursors').set({ cursor: 'b' }).where('channel_id', '=', 'ch_1').execute();
    expect(await readCursor(reader, 'ch_1')).toEqual({ cursor: 'b' });
    expect(await readCursor(reader, 'ch_2')).toBeUndefined();
    expect(prepared()).toBe(once);
  } finally {
    await close();
  }
});

it('gives a query run again while its statement is still being iterated a statement of its own', () => {
  const sqlite = new SQLite(join(mkdtempSync(join(tmpdir(), 'engine-statements-')), 'busy.sqlite'));
  try {
    sqlite.exec("create table t (v text); insert into t values ('a'), ('b')");
    const db = withStatementCache(sqlite);
    const query = 'select v from t order by v';
    const first = db.prepare(query);
    const rows = first.iterate([]);
    expect(rows.next().value).toEqual({ v: 'a' });
    // better-sqlite3 refuses to run a statement that is mid-iteration: this must be another one.
    const again = db.prepare(query);
    expect(again).not.toBe(first);
    expect(again.all([])).toEqual([{ v: 'a' }, { v: 'b' }]);
    expect(rows.next().value).toEqual({ v: 'b' });
    expect(rows.next().done).toBe(true);
    // Done iterating: the kept statement serves again.
    expect(db.prepare(query)).toBe(first);
  } finally {
    sqlite.close();
  }
});
