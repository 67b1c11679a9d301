import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import { loadConfig } from '../../../libs/config';
import { loggerOptions } from '../../../libs/logging';

type HttpOptions = Exclude<NonNullable<Params['pinoHttp']>, unknown[]> & Record<string, any>;

const optionsFor = (nodeEnv: 'development' | 'test') =>
  (loggerOptions('api').useFactory as (config: unknown) => Params)(loadConfig({ NODE_ENV: nodeEnv })).pinoHttp as HttpOptions;

describe('loggerOptions', () => {
  it('prints readable lines in development and JSON elsewhere', () => {
    expect(optionsFor('development').transport).toEqual(expect.objectContaining({ target: 'pino-pretty' }));
    expect(optionsFor('test').transport).toBeUndefined();
  });

  it('logs a request as method, path and remote address, without its headers or a feed secret', () => {
    const { serializers, customSuccessMessage } = optionsFor('test');
    const req = {
      id: 'r-1',
      method: 'GET',
      url: '/api/v1/calendar/s3cr3t-feed.ics?x=1',
      remoteAddress: '127.0.0.1',
      headers: { authorization: 'Bearer eyJ.token', cookie: 'a=b' },
      params: { secret: 's3cr3t-feed' },
    };
    expect(serializers.req(req)).toEqual({
      id: 'r-1',
      method: 'GET',
      url: '/api/v1/calendar/[Redacted].ics?x=1',
      remoteAddress: '127.0.0.1',
    });
    expect(customSuccessMessage(req as unknown as IncomingMessage, { statusCode: 200 } as ServerResponse, 12.4)).toBe(
      'GET /api/v1/calendar/[Redacted].ics?x=1 200 12 ms',
    );
  });
});
