/**
 * The worker process: registers search attributes, seeds channels configured through the
 * environment, brings every channel's polling schedules in line, then runs flows and connector
 * activities until SIGINT/SIGTERM. Credentials come from the store, opened per activity call.
 */
import { getHeapStatistics } from 'node:v8';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { ChannelSchedules } from '../channels/channel-schedules';
import { seedEnvChannels } from '../channels/env-channels';
import { dataDir } from '../runtime/data-dir';
import { ensureSearchAttributes } from '../runtime/search-attributes';
import { connectionOptions, temporalSettingsFromEnv } from '../runtime/temporal-config';
import { connectWhenServing } from '../runtime/connect-when-serving';
import { openStore } from '../store/open-store';
import { flows } from '../workflows/flows';
import { flowApplications } from '../workflows/framework/flow';
import { warnUnsignedWebhooks } from '../workflows/framework/webhook-verification';
import { createWorkers } from './create-worker';
import { describeDeployment, workerDeploymentFromEnv } from './deployment';
import { installWorkerRuntime } from './runtime';
import { tracingFromEnv } from '../runtime/tracing-from-env';
import { dataConverterWith, payloadCodecFromEnv } from '../runtime/payload-codec';
import { subscribeChannelWebhooks } from './subscribe-webhooks';
import { RunStarter } from '../workflows/framework/run-starter';
import { ConnectorRegistry } from '../connectors/registry';
import { ConnectorTelemetry } from '../activities/connector-telemetry';
import { createLogger } from '../runtime/logger';
import { serveMetrics } from '../runtime/metrics-server';
import { loadEnvironment } from '../runtime/config/environment';
import { configureSharedHttpClient } from '../connectors/framework/http/client';
import { hasHeapLimit } from '../runtime/worker-node-args';

const log = createLogger('worker');

async function main(): Promise<void> {
  // Read and checked once: a bad value stops the start here, naming the variable.
  const config = loadEnvironment();
  const { env } = config;
  configureSharedHttpClient(env); // every connector call: egress policy, response cap, socket pools
  const sdkMetricsUrl = installWorkerRuntime(log, { host: config.WORKER_METRICS_HOST, port: config.WORKER_SDK_METRICS_PORT });
  const settings = temporalSettingsFromEnv(env);
  const deployment = workerDeploymentFromEnv(env);
  const dataConverter = dataConverterWith(payloadCodecFromEnv(env));
  const tracing = await tracingFromEnv('worker', env);
  const plugins = tracing ? [tracing.plugin] : [];
  const store = await openStore(dataDir(env), (line) => log.warn(line), env);
  const registry = new ConnectorRegistry(store.imported);
  // The applications committed under applications/ first: flows, env channels and schedules may name them.
  for (const { application, created } of await registry.ready()) log.info(`application ${application} (applications/): ${created ? 'imported' : 'up to date'}`);
  warnUnsignedWebhooks(flows, await flowApplications(flows, registry), log);
  await seedEnvChannels(store.channels, registry, env);

  const clientConnection = await connectWhenServing(settings, log);
  try {
    await ensureSearchAttributes(clientConnection, settings.namespace);
    const schedules = new ChannelSchedules(new Client({ connection: clientConnection, namespace: settings.namespace, dataConverter }), flows, settings.taskQueue);
    for (const result of await schedules.syncAll(await store.channels.list())) {
      log.info(`schedule ${result.scheduleId}: ${result.change}`);
    }
  } finally {
    await clientConnection.close();
  }

  const telemetry = new ConnectorTelemetry(log, { processMetrics: true });
  const metrics = await serveMetrics(telemetry.registry, config.WORKER_METRICS_PORT, config.WORKER_METRICS_HOST);
  log.info(`connector metrics at ${metrics.url}, Temporal SDK worker metrics at ${sdkMetricsUrl}`);

  const connection = await NativeConnection.connect(connectionOptions(settings));
  try {
    const workers = await createWorkers({
      connection,
      namespace: settings.namespace,
      taskQueue: settings.taskQueue,
      channels: store.channels,
      tokens: store.tokens,
      cursors: store.cursors,
      subscriptions: store.subscriptions,
      registry,
      telemetry,
      dataConverter,
      plugins,
      deployment,
    });
    if (deployment) log.info(`${describeDeployment(deployment)}`);
    // The heap limit sizes the SDK's workflow cache and says whether WORKER_HEAP_MB (or --max-old-space-size) reached this process.
    const heapLimitMb = Math.round(getHeapStatistics().heap_size_limit / 1024 / 1024);
    log.info(`polling task queues ${workers.taskQueues.join(', ')} on ${settings.address} (namespace ${settings.namespace}), flows from the ${workers.workflowCode}, heap limit ${heapLimitMb} MB`);
    // WORKER_HEAP_MB is applied by whoever starts the process (npm start); a worker started on its own needs the flag itself.
    if (env.WORKER_HEAP_MB && !hasHeapLimit(config.WORKER_HEAP_MB, heapLimitMb))
      log.warn(`WORKER_HEAP_MB is ${config.WORKER_HEAP_MB} but this worker's heap limit is ${heapLimitMb} MB: start it with node --max-old-space-size=${config.WORKER_HEAP_MB}`);
    // Each Worker stops on SIGINT/SIGTERM by itself (the SDK's default shutdown signals).
    const running = workers.run();
    const publicUrl = config.PUBLIC_URL;
    if (publicUrl) {
      const client = new Client({ connection: await Connection.connect(connectionOptions(settings)), namespace: settings.namespace, dataConverter });
      try {
        const runs = new RunStarter(client, settings.taskQueue);
        for (const { workflowId, started } of await subscribeChannelWebhooks({ runs, flows, channels: store.channels, registry, publicUrl })) {
          log.info(`webhook subscriptions: ${workflowId}${started ? '' : ' (a change was already running; left to it)'}`);
        }
      } catch (err) {
        // The worker keeps running its flows; subscriptions are retried on the next start or channel enable.
        log.error(`could not start webhook subscriptions: ${(err as Error).message}`);
      } finally {
        await client.connection.close();
      }
    }
    await running;
  } finally {
    await connection.close();
    await store.close();
    await tracing?.shutdown();
    await metrics.close();
  }
}

main().catch((err) => {
  log.fatal({ err }, `fatal: ${(err as Error).message}`);
  process.exit(1);
});
