/**
 * Builds the workers of one process: one on the flows' task queue running the flows and the
 * connector activities, plus one per rate-limited application on that application's queue with
 * Temporal's `maxTaskQueueActivitiesPerSecond`. Used by worker/main.ts and by the tests. Refuses
 * to start when the bundle or the generated manifest disagrees with the registries.
 */
import type { DataConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { NativeConnection, Worker, type WorkerDeploymentOptions, type WorkerPlugin } from '@temporalio/worker';
import { createActivities } from '../activities';
import type { ConnectorTelemetry } from '../activities/connector-telemetry';
import type { ChannelDirectory } from '../channels/channel';
import { rateLimitedIntegrations } from '../connectors/catalog';
import type { ConnectorRegistry } from '../connectors/registry';
import type { SyncCursorStore } from '../store/sync-cursor-store';
import type { WebhookSubscriptionStore } from '../store/webhook-subscription-store';
import type { TokenStore } from '../store/token-store';
import * as bundle from '../workflows';
import { flows as flowRegistry } from '../workflows/flows';
import { rateLimitedTaskQueue } from '../workflows/framework/task-queues';
import { systemWorkflows } from '../workflows/system-workflows';
import { checkConnectorManifest, checkWorkflowBundle } from './registry-checks';
import { requestIdActivityInterceptor } from '../runtime/request-context';
import { workflowCodeOptions } from './workflow-bundle';

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
  /** The build these workers run, for Worker Versioning (./deployment.ts); the same for every queue of the build. */
  deployment?: WorkerDeploymentOptions;
  /**
   * Only the flows' queue, where runs start eagerly: the API's own worker (api/embedded-worker.ts).
   * The rate-limited applications' queues, and setting their limits, stay with the worker process.
   */
  flowsQueueOnly?: boolean;
}

export interface EngineWorkers {
  taskQueues: string[];
  /** Whether the flows' worker loaded `npm run build`'s bundle or bundled the flows at start. */
  workflowCode: 'prebuilt bundle' | 'bundled at start';
  run(): Promise<void>;
  shutdown(): void;
}

/**
 * The per-channel limit: Temporal's rate limit per fairness key (each call carries its channel as
 * the key) on the queue's activity tasks. Undefined clears it, for a limit that became per application.
 */
async function setChannelRateLimit(deps: WorkerDeps, taskQueue: string, requestsPerSecond: number | undefined): Promise<void> {
  const update = deps.connection.workflowService.updateTaskQueueConfig({
    namespace: deps.namespace,
    identity: `engine-worker@${process.pid}`,
    taskQueue,
    taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
    updateFairnessKeyRateLimitDefault: requestsPerSecond === undefined ? {} : { rateLimit: { requestsPerSecond }, reason: 'application rateLimit, scope channel' },
  });
  // A per-channel limit the server cannot hold must stop the worker; clearing one is best effort
  // (a server older than task queue configs has none to clear).
  if (requestsPerSecond === undefined) await update.catch(() => undefined);
  else await update;
}

export async function createWorkers(deps: WorkerDeps): Promise<EngineWorkers> {
  checkWorkflowBundle(
    flowRegistry,
    Object.values(systemWorkflows).map((workflow) => workflow.name),
    bundle,
  );
  // Committed applications are imported (or found) first: their rate limits have queues of their own.
  await deps.registry.ready();
  const rateLimited = [...rateLimitedIntegrations(), ...(await deps.registry.rateLimitedImported())];
  checkConnectorManifest(rateLimited.map(({ key }) => key));
  const activities = createActivities({ channels: deps.channels, tokens: deps.tokens, cursors: deps.cursors, subscriptions: deps.subscriptions, registry: deps.registry, telemetry: deps.telemetry });
  const workflowCode = workflowCodeOptions((deps.plugins ?? []).length > 0);
  const flows = await Worker.create({
    connection: deps.connection,
    namespace: deps.namespace,
    taskQueue: deps.taskQueue,
    // Built by `npm run build` when current, else bundled now (./workflow-bundle.ts); the workflow
    // interceptor carries the API request id a run was started with on to its activities' log
    // lines, the activity one into them (runtime/request-context.ts).
    ...workflowCode,
    interceptors: { ...workflowCode.interceptors, activity: [requestIdActivityInterceptor] },
    activities,
    dataConverter: deps.dataConverter,
    plugins: deps.plugins,
    workerDeploymentOptions: deps.deployment,
  });
  const limited = await Promise.all(
    // Each limit from its application's own declaration; workflows route to the same queue names.
    (deps.flowsQueueOnly ? [] : rateLimited).map(async ({ key, rateLimit: { requestsPerSecond, scope = 'application' } }) => {
      const taskQueue = rateLimitedTaskQueue(deps.taskQueue, key);
      // Both limits are Temporal's, enforced by its matching service, so they hold across workers.
      await setChannelRateLimit(deps, taskQueue, scope === 'channel' ? requestsPerSecond : undefined);
      return Worker.create({
        connection: deps.connection,
        namespace: deps.namespace,
        taskQueue,
        activities,
        interceptors: { activity: [requestIdActivityInterceptor] },
        dataConverter: deps.dataConverter,
        plugins: deps.plugins,
        workerDeploymentOptions: deps.deployment,
        ...(scope === 'application' ? { maxTaskQueueActivitiesPerSecond: requestsPerSecond } : {}),
      });
    }),
  );
  const all = [flows, ...limited];
  return {
    taskQueues: all.map((worker) => worker.options.taskQueue),
    workflowCode: 'workflowBundle' in workflowCode ? 'prebuilt bundle' : 'bundled at start',
    run: async () => {
      await Promise.all(all.map((worker) => worker.run()));
    },
    shutdown: () => {
      for (const worker of all) if (worker.getState() === 'RUNNING') worker.shutdown();
    },
  };
}
