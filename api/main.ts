/** The API process: NestJS on PORT (default 3000), talking to Temporal through a lazy client. */
import { Client, Connection } from '@temporalio/client';
import { applications } from '../applications';
import { seedEnvChannels } from '../channels/env-channels';
import { dataDir } from '../runtime/data-dir';
import { openStore } from '../store/open-store';
import { connectionOptions, temporalSettingsFromEnv } from '../runtime/temporal-config';
import { flows } from '../workflows/flows';
import { createLogger } from '../runtime/logger';
import { dataConverterWith, payloadCodecFromEnv } from '../runtime/payload-codec';
import { setupTracing } from '../runtime/tracing';
import { createApp } from './create-app';

async function main(): Promise<void> {
  const settings = temporalSettingsFromEnv();
  // Lazy: the API starts (and /health can answer 503) even while Temporal is down.
  const connection = Connection.lazy(connectionOptions(settings));
  const codec = payloadCodecFromEnv();
  const tracing = setupTracing('api');
  const client = new Client({ connection, namespace: settings.namespace, dataConverter: dataConverterWith(codec), plugins: tracing ? [tracing.plugin] : [] });
  const store = await openStore(dataDir(), (line) => console.warn(`[api] ${line}`));
  await seedEnvChannels(store.channels, applications);
  const port = Number(process.env.PORT ?? 3000);
  const host = process.env.HOST ?? '127.0.0.1';
  const publicUrl = process.env.PUBLIC_URL ?? `http://${host}:${port}`;
  const app = await createApp({ client, settings, flows, channels: store.channels, tokens: store.tokens, imported: store.imported, cursors: store.cursors, codec, tracer: tracing?.tracer, publicUrl: () => publicUrl }, { log: createLogger('api') });
  app.getHttpServer().once('close', () => void store.close());
  await app.listen(port, host);
  console.log(`[api] listening on http://${host}:${port} (Swagger at /docs), public URL ${publicUrl}`);
}

main().catch((err) => {
  console.error('[api] fatal:', err);
  process.exit(1);
});
