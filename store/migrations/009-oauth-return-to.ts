/**
 * Where the person who connects a channel goes once the consent is done: a path of the console
 * (`/console/…`, checked by the API before it is stored), kept with the connect link and then
 * with the consent's state. Null for consents started without one: they end on the page as before.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('oauth_connect_links').addColumn('return_to', 'text').execute();
  await db.schema.alterTable('oauth_states').addColumn('return_to', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('oauth_states').dropColumn('return_to').execute();
  await db.schema.alterTable('oauth_connect_links').dropColumn('return_to').execute();
}
