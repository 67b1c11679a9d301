import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry';
import type { WorkerOptions } from '@temporalio/worker';
import { processTracing } from '../telemetry/process-tracing';

/**
 * The tracing every Worker registers, and the replayer too (the same sinks as the recorded runs):
 * the sink the workflows' spans leave the sandbox by (workflows/tracing.interceptors.ts, bundled), and
 * the activity interceptors that continue the workflow's trace in each activity and put its ids in
 * the activity's log attributes.
 */
export function workerTracing(): Required<Pick<WorkerOptions, 'sinks' | 'interceptors'>> {
  return {
    sinks: { exporter: makeWorkflowExporter(processTracing.spanProcessor, processTracing.resource) },
    interceptors: {
      activity: [
        (ctx) => ({
          inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
          outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
        }),
      ],
    },
  };
}
