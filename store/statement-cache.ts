/**
 * better-sqlite3 for kysely, with its prepared statements kept. kysely's SQLite driver prepares
 * every query anew; the SQL text of a query is the same on every call (values are parameters), so
 * a statement can be prepared once and run again. On the webhook path, preparing was a third of
 * the store's CPU (bench/RESULTS.md).
 */
import type { Database as SQLiteDatabase, Statement } from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';
import { LRUCache } from 'lru-cache';

/** Bounded: `in (?, ?, …)` lists of every length each compile to their own text. */
const STATEMENTS_KEPT = 256;

export function withStatementCache(sqlite: SQLiteDatabase): SqliteDatabase {
  const statements = new LRUCache<string, Statement<unknown[]>>({ max: STATEMENTS_KEPT });
  return {
    close: () => sqlite.close(),
    prepare(sql) {
      const kept = statements.get(sql);
      // A statement still being iterated (a streamed query) cannot run again until it is done.
      if (kept && !kept.busy) return kept;
      const statement = sqlite.prepare<unknown[]>(sql);
      if (!kept) statements.set(sql, statement);
      return statement;
    },
  };
}
