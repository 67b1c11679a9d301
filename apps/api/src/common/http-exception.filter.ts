import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { ServiceError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { STATUS_CODES } from 'node:http';
import type { FieldProblem } from './validation';

interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details: FieldProblem[];
}

/** Every error leaves in the docs/spec.md section 7 shape; internal errors are logged, never echoed. */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const outage = unavailableDependency(exception);
    if (outage) {
      // A dependency is down: retryable (docs/spec.md section 7), never a 500.
      this.logger.warn(`${outage} unavailable: ${exception instanceof Error ? exception.message : String(exception)}`);
      if (response.headersSent) return;
      response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
      response.status(HttpStatus.SERVICE_UNAVAILABLE).json({
        statusCode: HttpStatus.SERVICE_UNAVAILABLE,
        error: STATUS_CODES[HttpStatus.SERVICE_UNAVAILABLE] as string,
        message: `The ${outage} is temporarily unavailable; retry shortly`,
        details: [],
      } satisfies ErrorBody);
      return;
    }
    const body = this.toBody(exception);
    if (body.statusCode >= 500) this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    if (!response.headersSent) response.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown): ErrorBody {
    const status = exception instanceof HttpException ? exception.getStatus() : bodyParserStatus(exception);
    const error = STATUS_CODES[status] ?? 'Error';
    if (!(exception instanceof HttpException)) {
      if (status >= 500) return { statusCode: status, error, message: 'Internal server error', details: [] };
      // body-parser: malformed JSON (400), too large (413), unsupported charset (415)
      const message = (exception as Error).message;
      return { statusCode: status, error, message, details: [{ field: 'body', message }] };
    }
    const payload = exception.getResponse();
    if (typeof payload === 'string') return { statusCode: status, error, message: payload, details: [] };
    const { message, details } = payload as { message?: string | string[]; details?: FieldProblem[] };
    return {
      statusCode: status,
      error,
      message: Array.isArray(message) ? message.join('; ') : (message ?? exception.message),
      details: details ?? [],
    };
  }
}

/** body-parser signals malformed JSON (400) and oversized bodies (413) with a status on the error. */
function bodyParserStatus(exception: unknown): number {
  const status = (exception as { status?: unknown })?.status;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : HttpStatus.INTERNAL_SERVER_ERROR;
}

/** Seconds a client should wait before retrying while a dependency is down. */
export const RETRY_AFTER_SECONDS = 5;

/** PostgreSQL SQLSTATEs of a lost or refused connection: class 08, shutdown and start-up (57P01-57P03), too many connections. */
const PG_UNAVAILABLE = /^(08...|57P0[123]|53300)$/;
const NET_UNAVAILABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const PG_LOST =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection refused/i;
/** gRPC UNAVAILABLE (14) and DEADLINE_EXCEEDED (4). */
const GRPC_UNAVAILABLE = new Set([14, 4]);

/**
 * Which dependency an error says is down ('database' or 'workflow engine'), if any: pg and TypeORM
 * connection errors by code, Temporal client ServiceErrors and gRPC errors by status code. Walks the
 * cause chain (TypeORM's driverError, AggregateError's errors).
 */
export function unavailableDependency(exception: unknown): 'database' | 'workflow engine' | undefined {
  const seen = new Set<unknown>();
  const queue: { error: unknown; temporal: boolean }[] = [{ error: exception, temporal: false }];
  while (queue.length) {
    const next = queue.shift() as { error: unknown; temporal: boolean };
    const error = next.error as Record<string, unknown> | null;
    if (!error || typeof error !== 'object' || seen.has(error)) continue;
    seen.add(error);
    if (error instanceof HttpException) return undefined;
    if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return 'workflow engine';
    const temporal: boolean = next.temporal || error instanceof ServiceError;
    const { code, name, message } = error;
    if (typeof code === 'number' && GRPC_UNAVAILABLE.has(code) && (temporal || 'metadata' in error)) return 'workflow engine';
    if (typeof code === 'string' && (PG_UNAVAILABLE.test(code) || NET_UNAVAILABLE.has(code))) {
      return temporal ? 'workflow engine' : 'database';
    }
    if (name === 'ConnectionIsNotSetError' || name === 'CannotExecuteNotConnectedError') return 'database';
    if (!temporal && typeof message === 'string' && PG_LOST.test(message)) return 'database';
    for (const inner of [error.cause, error.driverError, ...(Array.isArray(error.errors) ? error.errors : [])]) {
      queue.push({ error: inner, temporal });
    }
  }
  return undefined;
}
