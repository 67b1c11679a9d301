import { ArgumentsHost, ConflictException } from '@nestjs/common';
import { ServiceError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { HttpExceptionFilter, RETRY_AFTER_SECONDS } from '../../../apps/api/src/common/http-exception.filter';

/** What the filter answers for an exception: status, Retry-After and body. */
function answer(exception: unknown) {
  const headers: Record<string, string> = {};
  const sent: { status?: number; body?: any } = {};
  const response = {
    headersSent: false,
    setHeader: (name: string, value: string) => (headers[name.toLowerCase()] = value),
    status(code: number) {
      sent.status = code;
      return this;
    },
    json(body: unknown) {
      sent.body = body;
      return this;
    },
  };
  const host = { switchToHttp: () => ({ getResponse: () => response }) } as unknown as ArgumentsHost;
  new HttpExceptionFilter().catch(exception, host);
  return { status: sent.status, retryAfter: headers['retry-after'], body: sent.body };
}

const withCode = (message: string, code: string | number, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(message), { code, ...extra });

/** docs/spec.md section 7: a dependency outage is retryable (503 + Retry-After), never a 500. */
describe('exception filter during outages', () => {
  const retryable = String(RETRY_AFTER_SECONDS);

  it.each([
    ['pg connection refused', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['pg admin shutdown (57P01)', withCode('terminating connection due to administrator command', '57P01')],
    ['pg starting up (57P03)', withCode('the database system is starting up', '57P03')],
    [
      'TypeORM QueryFailedError wrapping a lost connection',
      Object.assign(new Error('Connection terminated unexpectedly'), {
        name: 'QueryFailedError',
        driverError: new Error('Connection terminated unexpectedly'),
      }),
    ],
    ['pg pool timeout', new Error('timeout exceeded when trying to connect')],
    ['an AggregateError of refused connections', new AggregateError([withCode('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED')], '')],
  ])('answers 503 with Retry-After for %s', (_what, error) => {
    expect(answer(error)).toMatchObject({ status: 503, retryAfter: retryable, body: { statusCode: 503, error: 'Service Unavailable' } });
    expect(answer(error).body.message).toMatch(/database/);
  });

  it.each([
    [
      'a Temporal ServiceError over gRPC UNAVAILABLE',
      new ServiceError('Failed to execute update', { cause: withCode('14 UNAVAILABLE: No connection established', 14, { metadata: {} }) }),
    ],
    ['a bare gRPC UNAVAILABLE', withCode('14 UNAVAILABLE: Connection dropped', 14, { metadata: {} })],
    ['a gRPC DEADLINE_EXCEEDED', withCode('4 DEADLINE_EXCEEDED', 4, { metadata: {} })],
    [
      'an Update whose RPC timed out',
      new WorkflowUpdateRPCTimeoutOrCancelledError('Timed out waiting for the update', { cause: new Error('x') }),
    ],
  ])('answers 503 with Retry-After for %s', (_what, error) => {
    const result = answer(error);
    expect(result).toMatchObject({ status: 503, retryAfter: retryable });
    expect(result.body.message).toMatch(/workflow engine/);
  });

  it('keeps 500 for a genuine bug, without Retry-After', () => {
    expect(answer(new TypeError('x is undefined'))).toMatchObject({ status: 500, retryAfter: undefined });
    expect(answer(withCode('duplicate key value violates unique constraint', '23505'))).toMatchObject({ status: 500 });
  });

  it('leaves HTTP exceptions as they are', () => {
    expect(answer(new ConflictException('Task is completed'))).toMatchObject({ status: 409, retryAfter: undefined });
  });
});
