// First: it gives the sandbox the globals OpenTelemetry needs (performance) before sdk-trace-base loads.
import {
  OpenTelemetryInboundInterceptor,
  OpenTelemetryInternalsInterceptor,
  OpenTelemetryOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry/lib/workflow';
import type { Tracer } from '@opentelemetry/api';
import { BasicTracerProvider, IdGenerator, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { SpanExporter } from '@temporalio/interceptors-opentelemetry/lib/workflow/span-exporter';
import { workflowInfo, WorkflowInterceptorsFactory } from '@temporalio/workflow';

/**
 * The SDK's OpenTelemetry workflow interceptors, bundled into every workflow (libs/temporal/workflow-bundle.ts),
 * with span ids that come from the run instead of Math.random: the SDK's own tracer draws them from the
 * workflow's seeded random stream, which shifted every uuid4() after the first span (task ids, child
 * workflow ids), so recorded histories no longer replayed. Not a workflow: it is not exported from index.ts.
 */

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK_64 = (1n << 64n) - 1n;

/** FNV-1a, 64 bits, as 16 hex digits: cheap, and spreads neighbouring counters over the whole id space. */
function hash64(text: string): string {
  let hash = FNV_OFFSET;
  for (let i = 0; i < text.length; i++) hash = ((hash ^ BigInt(text.charCodeAt(i))) * FNV_PRIME) & MASK_64;
  return hash.toString(16).padStart(16, '0');
}

/**
 * Ids from the run id and a counter: the same on every replay of a run, distinct across runs. The
 * counter is per run, as the workflow bundle's module state is (the SDK keeps a module cache per run).
 */
class RunIdGenerator implements IdGenerator {
  private issued = 0;

  generateTraceId(): string {
    const seed = `${workflowInfo().runId}/trace/${++this.issued}`;
    return hash64(`${seed}/high`) + hash64(`${seed}/low`);
  }

  generateSpanId(): string {
    return hash64(`${workflowInfo().runId}/span/${++this.issued}`);
  }
}

let tracer: Tracer | undefined;

/** Exports through the SDK's sink (`exporter`, registered by libs/temporal/tracing.ts) like the SDK's own tracer. */
function runTracer(): Tracer {
  tracer ??= new BasicTracerProvider({
    idGenerator: new RunIdGenerator(),
    spanProcessors: [new SimpleSpanProcessor(new SpanExporter())],
  }).getTracer('@temporalio/interceptor-workflow');
  return tracer;
}

class RunTracedInbound extends OpenTelemetryInboundInterceptor {
  protected override readonly tracer = runTracer();
}

class RunTracedOutbound extends OpenTelemetryOutboundInterceptor {
  protected override readonly tracer = runTracer();
}

export const interceptors: WorkflowInterceptorsFactory = () => ({
  inbound: [new RunTracedInbound()],
  outbound: [new RunTracedOutbound()],
  internals: [new OpenTelemetryInternalsInterceptor()],
});
