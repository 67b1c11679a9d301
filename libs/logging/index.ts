import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { LoggerModuleAsyncParams } from 'nestjs-pino';
import { AppConfig, APP_CONFIG } from '../config';

/** Structured logs (pino) with a request id on every line; the id is echoed in X-Request-Id. */
export function loggerOptions(service: 'api' | 'worker'): LoggerModuleAsyncParams {
  return {
    inject: [APP_CONFIG],
    useFactory: (config: AppConfig) => ({
      pinoHttp: {
        level: config.logLevel,
        base: { service },
        genReqId: (req: IncomingMessage, res) => {
          const incoming = req.headers['x-request-id'];
          const id = typeof incoming === 'string' && /^[\w-]{1,64}$/.test(incoming) ? incoming : randomUUID();
          res.setHeader('X-Request-Id', id);
          return id;
        },
        redact: ['req.headers.authorization', 'req.headers.cookie'],
        serializers: { req: withoutFeedSecret },
      },
    }),
  };
}

const FEED_PATH = /\/calendar\/[^/?#]+\.ics/;

/**
 * A calendar feed's URL is its credential (apps/api/src/programs/calendar-feed.service.ts): a request
 * line for one keeps its shape only, without the secret in the URL or in the router's params.
 */
function withoutFeedSecret<T extends { url?: string; params?: unknown }>(req: T): T {
  if (!req.url || !FEED_PATH.test(req.url)) return req;
  return Object.assign(req, { url: req.url.replace(FEED_PATH, '/calendar/[Redacted].ics'), params: '[Redacted]' });
}
