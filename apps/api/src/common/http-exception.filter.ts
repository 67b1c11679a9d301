import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
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
