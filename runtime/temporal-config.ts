/**
 * How every process (API, worker, start script, tests) reaches Temporal, from the checked
 * environment (runtime/config/environment.ts) through @temporalio/envconfig: Temporal's standard
 * variables (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS,
 * TEMPORAL_TLS_CLIENT_CERT_PATH, TEMPORAL_TLS_CLIENT_KEY_PATH, TEMPORAL_TLS_SERVER_CA_CERT_PATH,
 * TEMPORAL_TLS_SERVER_NAME, TEMPORAL_GRPC_META_*) and profiles (TEMPORAL_PROFILE,
 * TEMPORAL_CONFIG_FILE or ~/.config/temporalio/temporal.toml), with today's TEMPORAL_TLS_CA,
 * TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY as aliases. The same options work for `Connection`
 * (client) and `NativeConnection` (worker).
 */
import type { TLSConfig } from '@temporalio/common/lib/internal-non-workflow';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { parseEnvironment, temporalEnvVars, type Env } from './config/environment';

export interface TemporalSettings {
  /** host:port of the frontend; undefined means "start the embedded dev server". */
  address: string | undefined;
  namespace: string;
  taskQueue: string;
  tls: TLSConfig | undefined;
  apiKey: string | undefined;
  /** Base URL of the Web UI, for links in logs and API responses. */
  webUiUrl: string | undefined;
  /** gRPC metadata from the profile or TEMPORAL_GRPC_META_*. */
  metadata?: Record<string, string>;
}

/** `env`: the process's checked environment (`loadEnvironment().env`), or a test's. */
export function temporalSettingsFromEnv(env: Env): TemporalSettings {
  const checked = parseEnvironment(env);
  const { connectionOptions: options, namespace } = loadClientConnectConfig({ overrideEnvVars: temporalEnvVars(env) });
  // An API key implies TLS (envconfig's `true`: the system roots); `false` is TEMPORAL_TLS=false.
  const tls: TLSConfig | undefined = options.tls === true ? {} : options.tls || undefined;
  const metadata = options.metadata && Object.keys(options.metadata).length > 0 ? (options.metadata as Record<string, string>) : undefined;
  return {
    address: options.address || undefined,
    namespace: namespace || 'default',
    taskQueue: checked.TEMPORAL_TASK_QUEUE,
    tls,
    apiKey: options.apiKey || undefined,
    webUiUrl: checked.TEMPORAL_WEB_UI_URL,
    ...(metadata ? { metadata } : {}),
  };
}

/** Options for `Connection.lazy` / `NativeConnection.connect`. */
export function connectionOptions(settings: TemporalSettings): { address: string; tls?: TLSConfig; apiKey?: string; metadata?: Record<string, string> } {
  if (!settings.address) throw new Error('TEMPORAL_ADDRESS is not set');
  return {
    address: settings.address,
    ...(settings.tls ? { tls: settings.tls } : {}),
    ...(settings.apiKey ? { apiKey: settings.apiKey } : {}),
    ...(settings.metadata ? { metadata: settings.metadata } : {}),
  };
}
