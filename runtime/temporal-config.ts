/**
 * How every process (API, worker, start script, tests) reaches Temporal, read from the environment
 * once. The same options work for `Connection` (client) and `NativeConnection` (worker).
 */
import { readFileSync } from 'node:fs';
import type { TLSConfig } from '@temporalio/common/lib/internal-non-workflow';

export interface TemporalSettings {
  /** host:port of the frontend; undefined means "start the embedded dev server". */
  address: string | undefined;
  namespace: string;
  taskQueue: string;
  tls: TLSConfig | undefined;
  apiKey: string | undefined;
  /** Base URL of the Web UI, for links in logs and API responses. */
  webUiUrl: string | undefined;
}

function file(path: string | undefined): Buffer | undefined {
  return path ? readFileSync(path) : undefined;
}

export function temporalSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): TemporalSettings {
  const certPath = env.TEMPORAL_TLS_CERT;
  const keyPath = env.TEMPORAL_TLS_KEY;
  if (Boolean(certPath) !== Boolean(keyPath)) {
    throw new Error('TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY must be set together (mTLS client certificate pair)');
  }
  const wantsTls = env.TEMPORAL_TLS === 'true' || Boolean(certPath) || Boolean(env.TEMPORAL_TLS_CA) || Boolean(env.TEMPORAL_API_KEY);
  const tls: TLSConfig | undefined = wantsTls
    ? {
        serverNameOverride: env.TEMPORAL_TLS_SERVER_NAME || undefined,
        serverRootCACertificate: file(env.TEMPORAL_TLS_CA),
        clientCertPair: certPath && keyPath ? { crt: readFileSync(certPath), key: readFileSync(keyPath) } : undefined,
      }
    : undefined;
  return {
    address: env.TEMPORAL_ADDRESS || undefined,
    namespace: env.TEMPORAL_NAMESPACE || 'default',
    taskQueue: env.TEMPORAL_TASK_QUEUE || 'integrations',
    tls,
    apiKey: env.TEMPORAL_API_KEY || undefined,
    webUiUrl: env.TEMPORAL_WEB_UI_URL || undefined,
  };
}

/** Options for `Connection.lazy` / `NativeConnection.connect`. */
export function connectionOptions(settings: TemporalSettings): { address: string; tls?: TLSConfig; apiKey?: string } {
  if (!settings.address) throw new Error('TEMPORAL_ADDRESS is not set');
  return {
    address: settings.address,
    ...(settings.tls ? { tls: settings.tls } : {}),
    ...(settings.apiKey ? { apiKey: settings.apiKey } : {}),
  };
}
