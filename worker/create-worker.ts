/**
 * Builds the workers of one process: one on the flows' task queue running the flows and the
 * connector activities, plus one per rate-limited application group on that group's queue with
 * Temporal's `maxTaskQueueActivitiesPerSecond`. Used by worker/main.ts and by the tests.
 */
import type { DataConverter } from '@temporalio/common';
import { NativeConnection, Worker, type WorkerPlugin } from '@temporalio/worker';
import { createActivities } from '../activities';
import type { ConnectorTelemetry } from '../activities/connector-telemetry';
import type { ChannelDirectory } from '../channels/channel';
import { catalog } from '../connectors/catalog';
import type { Connector } from '../connectors/framework/connector';
import { rateLimitedGroups } from '../connectors/rate-limited-groups';
import type { ConnectorRegistry } from '../connectors/registry';
import type { SyncCursorStore } from '../store/sync-cursor-store';
import type { WebhookSubscriptionStore } from '../store/webhook-subscription-store';
import type { TokenStore } from '../store/token-store';
import { rateLimitedTaskQueue } from '../workflows/framework/task-queues';

export interface WorkerDeps {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  channels: ChannelDirectory;
  tokens: TokenStore;
  cursors: SyncCursorStore;
  subscriptions: WebhookSubscriptionStore;
  registry: ConnectorRegistry;
  telemetry?: ConnectorTelemetry;
  /** Encrypts payloads (PAYLOAD_CODEC_KEYS); the same converter the clients use. */
  dataConverter?: DataConverter;
  /** E.g. Temporal's OpenTelemetry plugin (tracing). */
  plugins?: WorkerPlugin[];
}

export interface EngineWorkers {
  taskQueues: string[];
  run(): Promise<void>;
  shutdown(): void;
}

export async function createWorkers(deps: WorkerDeps): Promise<EngineWorkers> {
  const activities = createActivities({ channels: deps.channels, tokens: deps.tokens, cursors: deps.cursors, subscriptions: deps.subscriptions, registry: deps.registry, telemetry: deps.telemetry });
  const flows = await Worker.create({
    connection: deps.connection,
    namespace: deps.namespace,
    taskQueue: deps.taskQueue,
    workflowsPath: require.resolve('../workflows'),
    activities,
    dataConverter: deps.dataConverter,
    plugins: deps.plugins,
  });
  const groups = catalog as Record<string, Record<string, Connector>>;
  const limited = await Promise.all(
    rateLimitedGroups.map((group) =>
      Worker.create({
        connection: deps.connection,
        namespace: deps.namespace,
        taskQueue: rateLimitedTaskQueue(deps.taskQueue, group),
        activities,
        dataConverter: deps.dataConverter,
        plugins: deps.plugins,
        maxTaskQueueActivitiesPerSecond: Object.values(groups[group] ?? {})[0]!.application.rateLimit!.requestsPerSecond,
      }),
    ),
  );
  const all = [flows, ...limited];
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
