/**
 * Builds the workers of one process: one for the flows (workflows) on the flows' task queue, and
 * one per connector group for the connector activities on that group's queue, rate-limited when
 * its application declares `rateLimit`. Used by worker/main.ts and by the tests.
 */
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import type { ConnectorTelemetry } from '../activities/connector-telemetry';
import type { ChannelDirectory } from '../channels/channel';
import { catalog } from '../connectors/catalog';
import type { Connector } from '../connectors/framework/connector';
import type { TokenStore } from '../store/token-store';
import { connectorTaskQueue, IMPORTED_GROUP } from '../workflows/framework/task-queues';
import type { ConnectorRegistry } from '../connectors/registry';

export interface WorkerDeps {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  channels: ChannelDirectory;
  tokens: TokenStore;
  registry: ConnectorRegistry;
  telemetry?: ConnectorTelemetry;
}

export interface EngineWorkers {
  taskQueues: string[];
  run(): Promise<void>;
  shutdown(): void;
}

export async function createWorkers(deps: WorkerDeps): Promise<EngineWorkers> {
  const activities = createActivities({ channels: deps.channels, tokens: deps.tokens, registry: deps.registry, telemetry: deps.telemetry });
  const flows = await Worker.create({
    connection: deps.connection,
    namespace: deps.namespace,
    taskQueue: deps.taskQueue,
    workflowsPath: require.resolve('../workflows'),
  });
  const connectorWorkers = await Promise.all(
    Object.entries(catalog as Record<string, Record<string, Connector>>).map(([group, connectors]) => {
      const application = Object.values(connectors)[0]?.application;
      return Worker.create({
        connection: deps.connection,
        namespace: deps.namespace,
        taskQueue: connectorTaskQueue(deps.taskQueue, group),
        activities,
        ...(application?.rateLimit ? { maxTaskQueueActivitiesPerSecond: application.rateLimit.requestsPerSecond } : {}),
      });
    }),
  );
  const importedWorker = await Worker.create({ connection: deps.connection, namespace: deps.namespace, taskQueue: connectorTaskQueue(deps.taskQueue, IMPORTED_GROUP), activities });
  const all = [flows, ...connectorWorkers, importedWorker];
  return {
    taskQueues: all.map((worker) => worker.options.taskQueue),
    run: async () => {
      await Promise.all(all.map((worker) => worker.run()));
    },
    shutdown: () => {
      for (const worker of all) if (worker.getState() === 'RUNNING') worker.shutdown();
    },
  };
}
