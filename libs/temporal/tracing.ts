import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry';
import type { ActivityInterceptorsFactory, WorkerOptions } from '@temporalio/worker';
import { activeTraceIds } from '../logging';
import { processTracing } from '../telemetry/process-tracing';

/**
 * The SDK logs an activity's end (completed, failed) after the activity's span has closed: this keeps
 * the span's ids for those lines, so a failure is found from its trace and the trace from the failure.
 * Listed after the SDK's interceptors, so its execute runs inside the span.
 */
const activityEndInTrace: ActivityInterceptorsFactory = () => {
  let spanIds: ReturnType<typeof activeTraceIds> = {};
  return {
    inbound: {
      execute: (input, next) => {
        spanIds = activeTraceIds();
        return next(input);
      },
    },
    outbound: { getLogAttributes: (attributes, next) => next({ ...spanIds, ...attributes }) },
  };
};

/**
 * The tracing every Worker registers, and the replayer too (the same sinks as the recorded runs):
 * the sink the workflows' spans leave the sandbox by (workflows/tracing.interceptors.ts, bundled), and
 * the activity interceptors that continue the workflow's trace in each activity and put its ids in
 * the activity's log lines.
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
        activityEndInTrace,
      ],
    },
  };
}
