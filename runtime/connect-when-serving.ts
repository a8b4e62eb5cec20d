/**
 * The worker's first connection to Temporal, waiting for a server that is still starting: `npm
 * start` starts the worker beside the dev server, and an orchestrator may start it before its
 * cluster. Connection.connect waits up to its own connect timeout (10 s); a slower first start (a
 * new database, a cluster coming up) gets more attempts, up to `timeoutMs`, before the worker
 * gives up with the last error.
 */
import { Connection } from '@temporalio/client';
import type { Logger } from 'pino';
import { connectionOptions, type TemporalSettings } from './temporal-config';

export async function connectWhenServing(settings: TemporalSettings, log: Logger, timeoutMs = 60_000): Promise<Connection> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await Connection.connect(connectionOptions(settings));
    } catch (err) {
      if (Date.now() >= deadline) throw err;
      log.warn(`Temporal at ${settings.address} does not answer yet (${(err as Error).message}); trying again`);
    }
  }
}
