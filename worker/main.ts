/**
 * The worker process: registers search attributes, gives polling flows their schedules, then
 * runs flows and connector activities until SIGINT/SIGTERM.
 */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { applications } from '../applications';
import { channelsFromEnv, StaticChannelDirectory } from '../channels/env-channels';
import { connectionOptions, temporalSettingsFromEnv } from '../runtime/temporal-config';
import { ensureSearchAttributes } from '../runtime/search-attributes';
import { flows } from '../workflows/flows';
import { createWorker } from './create-worker';
import { ensurePollingSchedules } from './schedules';

async function main(): Promise<void> {
  const settings = temporalSettingsFromEnv();
  const channels = new StaticChannelDirectory(channelsFromEnv(applications));

  const clientConnection = await Connection.connect(connectionOptions(settings));
  try {
    await ensureSearchAttributes(clientConnection, settings.namespace);
    const client = new Client({ connection: clientConnection, namespace: settings.namespace });
    for (const result of await ensurePollingSchedules(client, flows, channels, settings.taskQueue)) {
      console.log(`[worker] schedule ${result.scheduleId}: ${result.change}`);
    }
  } finally {
    await clientConnection.close();
  }

  const connection = await NativeConnection.connect(connectionOptions(settings));
  try {
    const worker = await createWorker({ connection, namespace: settings.namespace, taskQueue: settings.taskQueue, channels });
    console.log(`[worker] polling task queue "${settings.taskQueue}" on ${settings.address} (namespace ${settings.namespace})`);
    await worker.run();
  } finally {
    await connection.close();
  }
}

main().catch((err) => {
  console.error('[worker] fatal:', err);
  process.exit(1);
});
