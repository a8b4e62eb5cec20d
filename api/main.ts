/**
 * The API process: NestJS on PORT (default 3000; management on ADMIN_PORT when set), talking to
 * Temporal through a lazy client; with API_WORKER, also a worker on the flows' queue that takes
 * webhook runs eagerly (./embedded-worker.ts).
 */
import { Client, Connection } from '@temporalio/client';
import { seedEnvChannels } from '../channels/env-channels';
import { ConnectorRegistry } from '../connectors/registry';
import { dataDir } from '../runtime/data-dir';
import { openStore } from '../store/open-store';
import { connectionOptions, temporalSettingsFromEnv } from '../runtime/temporal-config';
import { flows } from '../workflows/flows';
import { createLogger } from '../runtime/logger';
import { dataConverterWith, payloadCodecFromEnv } from '../runtime/payload-codec';
import { tracingFromEnv } from '../runtime/tracing-from-env';
import { securityFromEnv } from './auth/security-config';
import { storeDeps } from './core.module';
import { createApp } from './create-app';
import { listen, listenersFromEnv } from './listeners';
import { loadEnvironment } from '../runtime/config/environment';
import { configureSharedHttpClient } from '../connectors/framework/http/client';
import { requestIdClientInterceptor } from '../runtime/request-context';
import { workerDeploymentFromEnv } from '../worker/deployment';
import type { EmbeddedWorker } from './embedded-worker';
import { ApiMetrics } from './metrics/api-metrics';

const log = createLogger('api');

async function main(): Promise<void> {
  // Read and checked once: a bad value stops the start here, naming the variable.
  const config = loadEnvironment();
  const { env } = config;
  configureSharedHttpClient(env); // OAuth token calls go through the egress policy
  const settings = temporalSettingsFromEnv(env);
  // Lazy: the API starts (and /health can answer 503) even while Temporal is down.
  const connection = Connection.lazy(connectionOptions(settings));
  const codec = payloadCodecFromEnv(env);
  const tracing = await tracingFromEnv('api', env);
  const dataConverter = dataConverterWith(codec);
  const plugins = tracing ? [tracing.plugin] : [];
  const client = new Client({
    connection,
    namespace: settings.namespace,
    dataConverter,
    plugins,
    interceptors: { workflow: [requestIdClientInterceptor()] },
  });
  const store = await openStore(dataDir(env), (line) => log.warn(line), env);
  await seedEnvChannels(store.channels, new ConnectorRegistry(store.imported), env);
  const listeners = listenersFromEnv(env);
  const security = securityFromEnv(listeners, env);
  requireSomeApiKey(security.bootstrapKey, await store.apiKeys.count(), config.NODE_ENV === 'production');
  const publicUrl = config.PUBLIC_URL ?? `http://${listeners.host}:${listeners.port}`;
  let embedded: EmbeddedWorker | undefined;
  const app = await createApp(
    {
      client,
      settings,
      flows,
      ...storeDeps(store),
      security,
      codec,
      tracer: tracing?.tracer,
      publicUrl: () => publicUrl,
      env,
      eager: { client: () => embedded?.client() },
    },
    { log },
  );
  if (config.API_WORKER) {
    // Loaded only when on: the worker SDK and its native core are most of a worker's start.
    const { EmbeddedWorker } = await import('./embedded-worker');
    const registry = app.get(ConnectorRegistry);
    embedded = new EmbeddedWorker({ settings, store, registry, dataConverter, plugins, deployment: workerDeploymentFromEnv(env), metrics: app.get(ApiMetrics).registry, log });
  }
  // The API's worker finishes what it runs before the store closes under it.
  app.getHttpServer().once('close', () => void (embedded?.close() ?? Promise.resolve()).then(() => store.close()));
  const { url, adminUrl } = await listen(app, listeners);
  log.info(`listening on ${url}${adminUrl ? ` (public routes), management on ${adminUrl}` : ''} (Swagger at /docs), public URL ${publicUrl}`);
}

/** Without any key, every management call answers 401: refused in production, said out loud elsewhere. */
function requireSomeApiKey(bootstrapKey: string | undefined, storedKeys: number, production: boolean): void {
  if (bootstrapKey || storedKeys > 0) return;
  if (production) throw new Error('NODE_ENV=production needs an API key: set ENGINE_API_KEY, or create one with `npm run api-key -- create --name admin --scope admin`');
  log.warn('no API key exists (ENGINE_API_KEY unset, none stored): every management route answers 401. Create one with `npm run api-key -- create --name admin --scope admin`.');
}

main().catch((err) => {
  log.fatal({ err }, `fatal: ${(err as Error).message}`);
  process.exit(1);
});
