/**
 * The worker process's Temporal runtime: the SDK's own logs (workflow `log.*` calls, with workflow
 * id, run id and type attached by the SDK, and Core's) become pino JSON lines like the rest, and
 * the SDK's worker metrics (task slots, poll and schedule-to-start latencies, workflow and
 * activity outcomes) are served for Prometheus on WORKER_SDK_METRICS_PORT.
 */
import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import type { Logger } from 'pino';

const PINO_LEVEL: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' };

/** `metrics`: WORKER_METRICS_HOST and WORKER_SDK_METRICS_PORT, from the checked environment. */
export function installWorkerRuntime(log: Logger, metrics: { host: string; port: number }): string {
  const bindAddress = `${metrics.host}:${metrics.port}`;
  Runtime.install({
    logger: new DefaultLogger('INFO', (entry) => log[PINO_LEVEL[entry.level]]({ ...entry.meta }, entry.message)),
    telemetryOptions: {
      logging: { filter: { core: 'WARN', other: 'WARN' }, forward: {} },
      metrics: { prometheus: { bindAddress, countersTotalSuffix: true } },
    },
  });
  return `http://${bindAddress}/metrics`;
}
