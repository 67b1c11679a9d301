import { trace } from '@opentelemetry/api';
import { NoopSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { activeTraceIds } from '../../../libs/logging';
import { startTracing } from '../../../libs/telemetry/tracing';

describe('startTracing without an endpoint', () => {
  it('registers nothing: spans are no-ops, the workflow spans are dropped and logs carry no trace ids', async () => {
    const tracing = startTracing({ tracesUrl: undefined, headers: {}, serviceName: undefined }, 'api');
    expect(tracing.spanProcessor).toBeInstanceOf(NoopSpanProcessor);
    trace.getTracer('test').startActiveSpan('unexported', (span) => {
      expect(span.isRecording()).toBe(false);
      expect(activeTraceIds()).toEqual({});
      span.end();
    });
    await tracing.shutdown();
  });

  it('names the service after the app unless OTEL_SERVICE_NAME does', () => {
    const name = (serviceName?: string) =>
      startTracing({ tracesUrl: undefined, headers: {}, serviceName }, 'worker').resource.attributes['service.name'];
    expect(name()).toBe('exports-desk-worker');
    expect(name('desk-eu')).toBe('desk-eu');
  });
});
