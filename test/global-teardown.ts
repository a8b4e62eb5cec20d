import type { DevServer } from '../runtime/dev-server';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __TEMPORAL_DEV_SERVER__?: DevServer }).__TEMPORAL_DEV_SERVER__?.stop();
}
