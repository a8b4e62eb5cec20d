/**
 * Builds the worker: the flow bundle plus the activities, on the flows' task queue.
 * Used by worker/main.ts and by the tests, so both run the same thing.
 */
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import type { ChannelDirectory } from '../channels/channel';
import type { TokenStore } from '../store/token-store';

export interface WorkerDeps {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  channels: ChannelDirectory;
  tokens: TokenStore;
}

export async function createWorker(deps: WorkerDeps): Promise<Worker> {
  return Worker.create({
    connection: deps.connection,
    namespace: deps.namespace,
    taskQueue: deps.taskQueue,
    workflowsPath: require.resolve('../workflows'),
    activities: createActivities({ channels: deps.channels, tokens: deps.tokens }),
  });
}
