import { Global, Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import type { Tracer } from '@opentelemetry/api';
import { ChannelSchedules } from '../channels/channel-schedules';
import type { TemporalSettings } from '../runtime/temporal-config';
import type { ChannelStore } from '../store/channel-store';
import type { SyncCursorStore } from '../store/sync-cursor-store';
import type { TokenStore } from '../store/token-store';
import type { ApiKeyStore } from '../store/api-key-store';
import type { SecurityConfig } from './auth/security-config';
import type { ImportedApplicationStore } from '../store/imported-application-store';
import { ConnectorRegistry } from '../connectors/registry';
import { RunStarter } from '../workflows/framework/run-starter';
import type { FlowRegistry } from '../workflows/framework/flow';
import type { ApiMetrics } from './metrics/api-metrics';
import { API_KEYS, SECURITY_CONFIG, CONNECTOR_REGISTRY, IMPORTED_APPLICATIONS, API_METRICS, CHANNEL_SCHEDULES, CHANNEL_STORE, FLOW_REGISTRY, PAYLOAD_CODEC, PUBLIC_URL, SYNC_CURSORS, TEMPORAL_CLIENT, TRACER, TEMPORAL_SETTINGS, TOKEN_STORE } from './tokens';

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
}

class ClientCloser implements OnApplicationShutdown {
  constructor(@Inject(TEMPORAL_CLIENT) private readonly client: Client) {}

  async onApplicationShutdown(): Promise<void> {
    await this.client.connection.close();
  }
}

/** Provides the Temporal client, the store and the registries every API module reads. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(deps: ApiDeps, options: { closeClientOnShutdown: boolean }, metrics: ApiMetrics): DynamicModule {
    const providers = [
      { provide: API_METRICS, useValue: metrics },
      { provide: API_KEYS, useValue: deps.apiKeys },
      { provide: SECURITY_CONFIG, useValue: deps.security },
      { provide: TEMPORAL_CLIENT, useValue: deps.client },
      { provide: TEMPORAL_SETTINGS, useValue: deps.settings },
      { provide: FLOW_REGISTRY, useValue: deps.flows },
      { provide: CHANNEL_STORE, useValue: deps.channels },
      { provide: TOKEN_STORE, useValue: deps.tokens },
      { provide: IMPORTED_APPLICATIONS, useValue: deps.imported },
      { provide: SYNC_CURSORS, useValue: deps.cursors },
      { provide: PAYLOAD_CODEC, useValue: deps.codec ?? null },
      { provide: TRACER, useValue: deps.tracer ?? null },
      { provide: CONNECTOR_REGISTRY, useValue: new ConnectorRegistry(deps.imported) },
      { provide: PUBLIC_URL, useValue: deps.publicUrl },
      { provide: RunStarter, useValue: new RunStarter(deps.client, deps.settings.taskQueue) },
      { provide: CHANNEL_SCHEDULES, useValue: new ChannelSchedules(deps.client, deps.flows, deps.settings.taskQueue) },
    ];
    return {
      module: CoreModule,
      providers: options.closeClientOnShutdown ? [...providers, ClientCloser] : providers,
      exports: [RunStarter, API_KEYS, SECURITY_CONFIG, CONNECTOR_REGISTRY, IMPORTED_APPLICATIONS, API_METRICS, TEMPORAL_CLIENT, TEMPORAL_SETTINGS, FLOW_REGISTRY, CHANNEL_STORE, CHANNEL_SCHEDULES, TOKEN_STORE, PUBLIC_URL, SYNC_CURSORS, PAYLOAD_CODEC, TRACER],
    };
  }
}
