/**
 * OpenTelemetry tracing, on when OTEL_EXPORTER_OTLP_ENDPOINT is set (or a test hands in a span
 * processor): one trace per webhook request, through the workflow it starts, to each connector
 * call. Temporal's OpenTelemetry plugin does the propagation (client → workflow → activity, via
 * headers) and exports workflow spans through a sink, so the workflow sandbox stays deterministic.
 */
import { trace, type Tracer } from '@opentelemetry/api';
import { Resource } from '@opentelemetry/resources';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { OpenTelemetryPlugin } from '@temporalio/interceptors-opentelemetry';
import type { Env } from './config/environment';

export interface Tracing {
  /** Give it to every Client and Worker (`plugins: [...]`). */
  plugin: OpenTelemetryPlugin;
  tracer: Tracer;
  shutdown(): Promise<void>;
}

let provider: NodeTracerProvider | undefined;

export function setupTracing(service: string, options: { spanProcessor?: SpanProcessor; env?: Env } = {}): Tracing | undefined {
  const env = options.env ?? {};
  if (!options.spanProcessor && !env.OTEL_EXPORTER_OTLP_ENDPOINT) return undefined;
  const resource = new Resource({ 'service.name': env.OTEL_SERVICE_NAME ?? `integration-engine-${service}` });
  // The exporter reads OTEL_EXPORTER_OTLP_ENDPOINT (and _HEADERS) itself and posts to <endpoint>/v1/traces.
  const spanProcessor = options.spanProcessor ?? new BatchSpanProcessor(new OTLPTraceExporter());
  // One provider per process: it owns the async-context manager that links a request's spans.
  if (!provider) {
    provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
    provider.register();
  }
  const current = provider;
  return {
    plugin: new OpenTelemetryPlugin({ resource, spanProcessor }),
    tracer: trace.getTracer('integration-engine'),
    shutdown: () => current.forceFlush(),
  };
}
