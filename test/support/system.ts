/**
 * The engine assembled in-process for a test: the demo CRM on loopback, a real worker and the
 * real NestJS API on a random port, all against the shared Temporal dev server. Each system uses
 * its own task queue, so test files do not steal each other's tasks.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, DefaultLogger } from '@temporalio/worker';
import { storeDeps } from '../../api/core.module';
import { createApp } from '../../api/create-app';
import { DEFAULT_RATE_LIMITS, type SecurityConfig } from '../../api/auth/security-config';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedEnvChannels } from '../../channels/env-channels';
import type { SyncCursorStore } from '../../store/sync-cursor-store';
import type { ChannelStore } from '../../store/channel-store';
import { openStore, type Store } from '../../store/open-store';
import { generateKey } from '../../store/credential-cipher';
import { startDemoCrm, type DemoCrm } from '../../demo/crm-server';
import type { TemporalSettings } from '../../runtime/temporal-config';
import { createWorkers, type EngineWorkers } from '../../worker/create-worker';
import { ConnectorRegistry } from '../../connectors/registry';
import { ConnectorTelemetry } from '../../activities/connector-telemetry';
import type { PayloadCodec } from '@temporalio/common';
import { createLogger } from '../../runtime/logger';
import { requestIdClientInterceptor } from '../../runtime/request-context';
import { dataConverterWith } from '../../runtime/payload-codec';
import { setupTracing } from '../../runtime/tracing';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { serveMetrics } from '../../runtime/metrics-server';
import type { FlowRegistry } from '../../workflows/framework/flow';
import { flows as defaultFlows } from '../../workflows/flows';

let runtimeInstalled = false;
/** Keeps the worker's own INFO lines out of test output. */
export function quietWorkerLogs(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  // Core (Rust) logs go to the same logger, so a Temporal outage in a test does not flood the output.
  Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' }, forward: {} } } });
}

export interface TestSystem {
  crm: DemoCrm;
  client: Client;
  settings: TemporalSettings;
  channels: ChannelStore;
  cursors: SyncCursorStore;
  store: Store;
  apiUrl: string;
  app: NestExpressApplication;
  worker: EngineWorkers;
  /** The worker's structured log lines (JSON), as written. */
  logLines: string[];
  /** The API's structured log lines (JSON), as written. */
  apiLogLines: string[];
  /** The worker's GET /metrics. */
  metricsUrl: string;
  stop(): Promise<void>;
}

export const DEMO_API_KEY = 'test-api-key-not-a-real-secret';
/** The test system's bootstrap admin key (ENGINE_API_KEY): every management call in the tests carries it. */
export const TEST_ADMIN_KEY = 'eng_test-admin-key-not-a-real-secret-0000000000';
/** `Authorization` for a management call, with the admin key unless another key is given. */
/** The security settings of a test system: the admin key above, loopback as the deployment's host. */
/** `run(action, input, channel?)`: one action of `application` run through the API's run route, for `channelId()` unless another channel is named. */
export function actionRunner(system: () => TestSystem, application: string, channelId: () => string) {
  return (action: string, input: unknown, channel = channelId()) => postJson(`${system().apiUrl}/applications/${application}/actions/${action}/run`, { channelId: channel, input });
}

export function testSecurity(overrides: Partial<SecurityConfig> = {}): SecurityConfig {
  return {
    bootstrapKey: TEST_ADMIN_KEY,
    separateAdminListener: false,
    allowedHosts: ['127.0.0.1', 'localhost'],
    docsPublic: true,
    rateLimits: DEFAULT_RATE_LIMITS,
    applicationHosts: {},
    ...overrides,
  };
}

export function authHeaders(key: string = TEST_ADMIN_KEY): Record<string, string> {
  return { authorization: `Bearer ${key}` };
}
export const TEST_CREDENTIALS_KEYS = generateKey('test');

export function temporalAddress(): string {
  const address = process.env.TEST_TEMPORAL_ADDRESS;
  if (!address) throw new Error('TEST_TEMPORAL_ADDRESS is not set: run the tests through jest (global setup)');
  return address;
}

export async function startTestSystem(
  options: {
    flows?: FlowRegistry;
    address?: string;
    contacts?: number;
    databaseUrl?: string;
    codec?: PayloadCodec;
    spanProcessor?: SpanProcessor;
    security?: Partial<SecurityConfig>;
    webUiUrl?: string;
  } = {},
): Promise<TestSystem> {
  const tracing = options.spanProcessor ? setupTracing('test', { spanProcessor: options.spanProcessor }) : undefined;
  const plugins = tracing ? [tracing.plugin] : [];
  quietWorkerLogs();
  const address = options.address ?? temporalAddress();
  const crm = await startDemoCrm({ apiKey: DEMO_API_KEY, contacts: options.contacts ?? 45 });
  const settings: TemporalSettings = { address, namespace: 'default', taskQueue: `test-${randomUUID()}`, tls: undefined, apiKey: undefined, webUiUrl: options.webUiUrl };
  // A store of its own (SQLite file, or PostgreSQL when asked), with the demo's default channel.
  const storeEnv = { ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}), CREDENTIALS_KEYS: TEST_CREDENTIALS_KEYS };
  const store = await openStore(mkdtempSync(join(tmpdir(), 'engine-test-data-')), () => undefined, storeEnv);
  const channels = store.channels;
  const registry = new ConnectorRegistry(store.imported);
  await seedEnvChannels(channels, registry, {
    CHANNEL_DEMO_CRM_SETTINGS: JSON.stringify({ baseUrl: crm.url }),
    CHANNEL_DEMO_CRM_CREDENTIALS: JSON.stringify({ apiKey: DEMO_API_KEY }),
  });

  const logLines: string[] = [];
  const apiLogLines: string[] = [];
  const telemetry = new ConnectorTelemetry(createLogger('worker', { write: (line: string) => void logLines.push(line) }));
  const metrics = await serveMetrics(telemetry.registry, 0);
  const nativeConnection = await NativeConnection.connect({ address });
  const worker = await createWorkers({
    connection: nativeConnection,
    namespace: settings.namespace,
    taskQueue: settings.taskQueue,
    channels,
    tokens: store.tokens,
    cursors: store.cursors,
    subscriptions: store.subscriptions,
    registry,
    telemetry,
    dataConverter: dataConverterWith(options.codec),
    plugins,
  });
  const workerRun = worker.run();

  const connection = Connection.lazy({ address });
  // As the API's client in api/main.ts: runs started by a request carry its request id.
  const client = new Client({ connection, namespace: settings.namespace, dataConverter: dataConverterWith(options.codec), plugins, interceptors: { workflow: [requestIdClientInterceptor()] } });
  let apiUrl = '';
  const app = await createApp(
    {
      client,
      settings,
      flows: options.flows ?? defaultFlows,
      ...storeDeps(store),
      security: testSecurity(options.security),
      codec: options.codec,
      tracer: tracing?.tracer,
      publicUrl: () => apiUrl,
      env: process.env,
    },
    { closeClientOnShutdown: false, log: createLogger('api', { write: (line: string) => void apiLogLines.push(line) }) },
  );
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  apiUrl = `http://127.0.0.1:${port}`;

  return {
    crm,
    client,
    settings,
    channels,
    cursors: store.cursors,
    store,
    apiUrl,
    logLines,
    apiLogLines,
    metricsUrl: metrics.url,
    app,
    worker,
    async stop() {
      await app.close();
      worker.shutdown();
      await workerRun;
      await nativeConnection.close();
      await connection.close();
      await crm.close();
      await store.close();
      await metrics.close();
    },
  };
}

/** POSTs JSON with the admin key (harmless on public routes); pass `authorization: ''` to send none. */
export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(url, { method: 'POST', headers: withAuth({ 'content-type': 'application/json', ...headers }), body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** GETs with the admin key unless `headers` says otherwise (`authorization: ''` sends none). */
export async function getJson(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(url, { headers: withAuth(headers) });
  const text = await res.text();
  return { status: res.status, body: text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
}

function withAuth(headers: Record<string, string>): Record<string, string> {
  const merged = { ...authHeaders(), ...headers };
  if (!merged.authorization) delete (merged as Record<string, string | undefined>).authorization;
  return merged;
}

/** Polls `check` until it returns a value other than undefined. */
export async function eventually<T>(check: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
