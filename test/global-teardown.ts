import type { DevServer } from '../runtime/dev-server';
import type { TestPostgres } from './support/postgres';

export default async function globalTeardown(): Promise<void> {
  const state = globalThis as { __TEMPORAL_DEV_SERVER__?: DevServer; __TEST_POSTGRES__?: TestPostgres };
  await Promise.all([state.__TEMPORAL_DEV_SERVER__?.stop(), state.__TEST_POSTGRES__?.stop()]);
}
