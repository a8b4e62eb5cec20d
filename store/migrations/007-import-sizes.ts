/**
 * What each imported version weighed as a document, so the daily import cap is counted from what
 * the store holds (across API processes, and across restarts). Versions imported before count 0:
 * they leave the 24-hour window within a day anyway.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('imported_applications')
    .addColumn('document_bytes', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  // The cap reads the last 24 hours of imports.
  await db.schema.createIndex('imported_applications_created_at').on('imported_applications').column('created_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('imported_applications_created_at').execute();
  await db.schema.alterTable('imported_applications').dropColumn('document_bytes').execute();
}
