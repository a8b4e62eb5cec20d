import type { TestPostgres } from './support/postgres';

export default async function globalTeardown(): Promise<void> {
  const state = globalThis as { __TEMPORAL__?: { stop(): Promise<void> }; __TEST_POSTGRES__?: TestPostgres };
  // Temporal first: a cluster keeps its state in that PostgreSQL.
  await state.__TEMPORAL__?.stop();
  await state.__TEST_POSTGRES__?.stop();
}
