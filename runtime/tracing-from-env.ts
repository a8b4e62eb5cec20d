/**
 * Tracing as the processes start it: OpenTelemetry's packages are loaded only when
 * OTEL_EXPORTER_OTLP_ENDPOINT turns tracing on, so a start without it does not pay for them.
 */
import type { Env } from './config/environment';
import type { Tracing } from './tracing';

export async function tracingFromEnv(service: string, env: Env): Promise<Tracing | undefined> {
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT) return undefined;
  const { setupTracing } = await import('./tracing');
  return setupTracing(service, { env });
}
