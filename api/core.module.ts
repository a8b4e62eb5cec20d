import { Global, Module, type DynamicModule, type OnApplicationShutdown, Inject } from '@nestjs/common';
import { Client } from '@temporalio/client';
import type { ChannelDirectory } from '../channels/channel';
import type { TemporalSettings } from '../runtime/temporal-config';
import type { FlowRegistry } from '../workflows/framework/flow';
import { CHANNEL_DIRECTORY, FLOW_REGISTRY, TEMPORAL_CLIENT, TEMPORAL_SETTINGS } from './tokens';

export interface ApiDeps {
  client: Client;
  settings: TemporalSettings;
  flows: FlowRegistry;
  channels: ChannelDirectory;
}

class ClientCloser implements OnApplicationShutdown {
  constructor(@Inject(TEMPORAL_CLIENT) private readonly client: Client) {}

  async onApplicationShutdown(): Promise<void> {
    await this.client.connection.close();
  }
}

/** Provides the Temporal client and the registries every API module reads. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(deps: ApiDeps, options: { closeClientOnShutdown: boolean }): DynamicModule {
    const providers = [
      { provide: TEMPORAL_CLIENT, useValue: deps.client },
      { provide: TEMPORAL_SETTINGS, useValue: deps.settings },
      { provide: FLOW_REGISTRY, useValue: deps.flows },
      { provide: CHANNEL_DIRECTORY, useValue: deps.channels },
    ];
    return {
      module: CoreModule,
      providers: options.closeClientOnShutdown ? [...providers, ClientCloser] : providers,
      exports: [TEMPORAL_CLIENT, TEMPORAL_SETTINGS, FLOW_REGISTRY, CHANNEL_DIRECTORY],
    };
  }
}
