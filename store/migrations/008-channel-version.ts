/**
 * Every write of a channel moves its version on, so an update can be made against the version it
 * read (compare-and-set): a request checked against a channel that changed meanwhile must not
 * write, else it could put the stale secret beside a base URL another request just moved.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('channels')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('channels').dropColumn('version').execute();
}
