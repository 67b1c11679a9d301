import { isSpanContextValid, trace } from '@opentelemetry/api';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LoggerModuleAsyncParams } from 'nestjs-pino';
import { AppConfig, APP_CONFIG } from '../config';

/**
 * Structured logs (pino) with a request id on every line; the id is echoed in X-Request-Id. A line
 * logged inside a traced span (an API request, an activity; libs/telemetry) carries its trace_id and
 * span_id, so a trace leads to its lines and a line to its trace. Production
 * and tests log JSON; development (`npm start`) prints one readable line per event through pino-pretty
 * (a devDependency, so a production image without it keeps JSON).
 */
export function loggerOptions(service: 'api' | 'worker'): LoggerModuleAsyncParams {
  return {
    inject: [APP_CONFIG],
    useFactory: (config: AppConfig) => ({
      pinoHttp: {
        level: config.logLevel,
        base: { service },
        mixin: activeTraceIds,
        transport: config.env === 'development' ? readableTransport() : undefined,
        genReqId: (req: IncomingMessage, res) => {
          const incoming = req.headers['x-request-id'];
          const id = typeof incoming === 'string' && /^[\w-]{1,64}$/.test(incoming) ? incoming : randomUUID();
          res.setHeader('X-Request-Id', id);
          return id;
        },
        // Headers stay out of the logs: they carry tokens and cookies, and drowned every line in noise.
        serializers: { req: requestSummary, res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }) },
        customSuccessMessage: (req: IncomingMessage, res: ServerResponse, ms: number) =>
          `${req.method} ${withoutFeedSecret(req.url)} ${res.statusCode} ${Math.round(ms)} ms`,
        customErrorMessage: (req: IncomingMessage, res: ServerResponse, error: Error) =>
          `${req.method} ${withoutFeedSecret(req.url)} ${res.statusCode} failed: ${error.message}`,
      },
    }),
  };
}

/** The active span's ids; none outside a span, and none ever while tracing is off (no context is kept then). */
export function activeTraceIds(): { trace_id?: string; span_id?: string } {
  const context = trace.getActiveSpan()?.spanContext();
  return context && isSpanContextValid(context) ? { trace_id: context.traceId, span_id: context.spanId } : {};
}

/** pino-pretty when it is installed; undefined (JSON) otherwise. */
function readableTransport(): { target: string; options: Record<string, unknown> } | undefined {
  try {
    require.resolve('pino-pretty');
  } catch {
    return undefined;
  }
  return {
    target: 'pino-pretty',
    options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,req,res,responseTime', messageKey: 'msg' },
  };
}

const FEED_PATH = /\/calendar\/[^/?#]+\.ics/;

/**
 * A calendar feed's URL is its credential (apps/api/src/programs/calendar-feed.service.ts): a logged
 * request line for one keeps its shape only.
 */
function withoutFeedSecret(url: string | undefined): string | undefined {
  return url?.replace(FEED_PATH, '/calendar/[Redacted].ics');
}

function requestSummary(req: { id?: unknown; method?: string; url?: string; remoteAddress?: string }) {
  return { id: req.id, method: req.method, url: withoutFeedSecret(req.url), remoteAddress: req.remoteAddress };
}
