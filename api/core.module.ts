import { Global, Injectable, Logger, Module, type DynamicModule, type OnApplicationBootstrap, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { Client } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import type { Tracer } from '@opentelemetry/api';
import { ChannelSchedules } from '../channels/channel-schedules';
import type { TemporalSettings } from '../runtime/temporal-config';
import { ChannelStore } from '../store/channel-store';
import { SyncCursorStore } from '../store/sync-cursor-store';
import { TokenStore } from '../store/token-store';
import { ApiKeyStore } from '../store/api-key-store';
import type { SecurityConfig } from './auth/security-config';
import { ImportedApplicationStore } from '../store/imported-application-store';
import { ConnectorRegistry } from '../connectors/registry';
import { RunStarter, type EagerStarts } from '../workflows/framework/run-starter';
import type { FlowRegistry } from '../workflows/framework/flow';
import { ApiMetrics } from './metrics/api-metrics';
import { ENVIRONMENT, FLOW_REGISTRY, PAYLOAD_CODEC, PUBLIC_URL, SECURITY_CONFIG, TEMPORAL_SETTINGS, TRACER } from './tokens';
import type { Env } from '../runtime/config/environment';
import type { Store } from '../store/open-store';

export interface ApiDeps {
  client: Client;
  settings: TemporalSettings;
  flows: FlowRegistry;
  channels: ChannelStore;
  tokens: TokenStore;
  imported: ImportedApplicationStore;
  cursors: SyncCursorStore;
  apiKeys: ApiKeyStore;
  security: SecurityConfig;
  /** Set when payloads are encrypted: the API then serves as codec server. */
  codec?: PayloadCodec;
  /** Set when tracing is on: webhook requests open the trace their runs continue. */
  tracer?: Tracer;
  /** Where the outside world reaches this API (OAuth redirect URI, webhook URLs). */
  publicUrl: () => string;
  /**
   * The checked environment (`loadEnvironment().env` in main.ts) for what is read per request:
   * import caps and limits, body limits, the codec's CORS origin, the webhook accept timeout.
   * Unset: the defaults. A test may hand in `process.env` itself to change a cap between requests.
   */
  env?: Env;
  /** API_WORKER: webhook runs start eagerly on the worker in this process (./embedded-worker.ts). */
  eager?: EagerStarts;
}

/** The API's part of the store, as every process that opens one passes it. */
export function storeDeps(store: Store): Pick<ApiDeps, 'channels' | 'tokens' | 'imported' | 'cursors' | 'apiKeys'> {
  return { channels: store.channels, tokens: store.tokens, imported: store.imported, cursors: store.cursors, apiKeys: store.apiKeys };
}

@Injectable()
class ClientCloser implements OnApplicationShutdown {
  constructor(private readonly client: Client) {}

  async onApplicationShutdown(): Promise<void> {
    await this.client.connection.close();
  }
}

/**
 * The applications committed under applications/ are imported (or found stored) before the API
 * listens, at the versions the repository gives them, as the worker does: both agree.
 */
@Injectable()
class CommittedApplications implements OnApplicationBootstrap {
  constructor(private readonly registry: ConnectorRegistry) {}

  async onApplicationBootstrap(): Promise<void> {
    const log = new Logger('Applications');
    for (const { application, created } of await this.registry.ready()) log.log(`application ${application} (applications/): ${created ? 'imported' : 'up to date'}`);
  }
}

/**
 * What every feature module reads and main.ts (or a test) builds: the Temporal client, the
 * stores, the registries, the run starter and the configuration. Global, as configuration is in
 * Nest: the feature modules import nothing of each other for it.
 */
@Global()
@Module({})
export class CoreModule {
  static forRoot(deps: ApiDeps, options: { closeClientOnShutdown: boolean }, metrics: ApiMetrics): DynamicModule {
    const providers: Provider[] = [
      { provide: ApiMetrics, useValue: metrics },
      { provide: Client, useValue: deps.client },
      { provide: ChannelStore, useValue: deps.channels },
      { provide: TokenStore, useValue: deps.tokens },
      { provide: ImportedApplicationStore, useValue: deps.imported },
      { provide: SyncCursorStore, useValue: deps.cursors },
      { provide: ApiKeyStore, useValue: deps.apiKeys },
      { provide: ConnectorRegistry, useValue: new ConnectorRegistry(deps.imported) },
      { provide: RunStarter, useValue: new RunStarter(deps.client, deps.settings.taskQueue, deps.eager) },
      { provide: ChannelSchedules, useValue: new ChannelSchedules(deps.client, deps.flows, deps.settings.taskQueue) },
      { provide: TEMPORAL_SETTINGS, useValue: deps.settings },
      { provide: FLOW_REGISTRY, useValue: deps.flows },
      { provide: SECURITY_CONFIG, useValue: deps.security },
      { provide: PUBLIC_URL, useValue: deps.publicUrl },
      { provide: PAYLOAD_CODEC, useValue: deps.codec ?? null },
      { provide: TRACER, useValue: deps.tracer ?? null },
      { provide: ENVIRONMENT, useValue: deps.env ?? {} },
    ];
    const exported = providers.map((provider) => (typeof provider === 'function' ? provider : provider.provide));
    return {
      module: CoreModule,
      providers: [...providers, CommittedApplications, ...(options.closeClientOnShutdown ? [ClientCloser] : [])],
      exports: exported,
    };
  }
}
