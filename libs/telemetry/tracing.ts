import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, NoopSpanProcessor, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { IncomingMessage } from 'node:http';
import type { TracingConfig } from '../config/app-config';

export interface Tracing {
  /** Where the worker hands the workflows' spans (their sink, libs/temporal/tracing.ts); drops them when tracing is off. */
  readonly spanProcessor: SpanProcessor;
  readonly resource: Resource;
  /** Exports the spans still batched and stops: on shutdown. */
  shutdown(): Promise<void>;
}

/** Probes poll these every few seconds: a span each would bury the requests worth reading. */
const UNTRACED_PATHS = new Set(['/health', '/metrics']);

const untraced = (request: IncomingMessage) => UNTRACED_PATHS.has((request.url ?? '').split('?')[0]);

/**
 * Registers the process's tracer provider: spans batched (OTEL_BSP_* tune the batches) and POSTed as
 * OTLP/HTTP JSON, and http instrumented so each incoming request starts a trace, or continues the
 * caller's (W3C traceparent); outgoing fetch calls are client spans that pass the trace on. Without
 * an endpoint nothing is registered: the OpenTelemetry API stays a no-op for the client and activity
 * interceptors and the log mixin. Only the workflows' spans are still made, in the sandbox (a bundle
 * cannot see the environment), and dropped at their sink.
 */
export function startTracing(config: TracingConfig, service: string): Tracing {
  const resource = new Resource({ [ATTR_SERVICE_NAME]: config.serviceName ?? `exports-desk-${service}` });
  if (!config.tracesUrl) return { spanProcessor: new NoopSpanProcessor(), resource, shutdown: async () => undefined };
  const spanProcessor = new BatchSpanProcessor(new OTLPTraceExporter({ url: config.tracesUrl, headers: config.headers }));
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  provider.register();
  registerInstrumentations({
    tracerProvider: provider,
    // fetch (undici) as well: agency webhooks and the OIDC provider's calls get client spans, and
    // the agency's system receives the trace in traceparent.
    instrumentations: [new HttpInstrumentation({ ignoreIncomingRequestHook: untraced }), new UndiciInstrumentation()],
  });
  return {
    spanProcessor,
    resource,
    shutdown: () => provider.shutdown(),
  };
}
