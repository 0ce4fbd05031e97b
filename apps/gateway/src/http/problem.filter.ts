import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { FlowstackError, type ErrorCode } from '@flowstack/contracts';
import { CORRELATION_HEADER, correlationIdOf } from './correlation-id';
import { toProblem } from './problem';

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'validation_failed',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

/**
 * Turns every error into `application/problem+json`: our typed errors by code, Nest/Express HTTP
 * errors (unknown routes, malformed JSON bodies) by status, and anything else as a 500 that logs
 * the cause and shows none of it.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request>();
    const res = ctx.getResponse<Response>();
    const error = this.toFlowstackError(exception);
    // Validated again here: a raw header reflected into a body is an injection (it was, once).
    const problem = toProblem(error, req.originalUrl, correlationIdOf(req.headers[CORRELATION_HEADER]));
    if (error.retryAfter !== undefined) res.setHeader('Retry-After', String(error.retryAfter));
    res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }

  private toFlowstackError(exception: unknown): FlowstackError {
    if (exception instanceof FlowstackError) return exception;
    // Express middleware errors (body parser, our edge checks) arrive wrapped, their cause inside.
    const cause = exception instanceof HttpException ? exception.cause : undefined;
    if (cause instanceof FlowstackError) return cause;
    const status = exception instanceof HttpException ? exception.getStatus() : (exception as { status?: number })?.status;
    const { type, limit } = (cause ?? exception ?? {}) as { type?: string; limit?: number };
    if (type === 'entity.parse.failed') return new FlowstackError('validation_failed', 'request body is not valid JSON');
    if (type === 'entity.too.large') {
      return new FlowstackError('payload_too_large', `request body is larger than the limit of ${limit} bytes`);
    }
    if (typeof status === 'number' && CODE_BY_STATUS[status]) {
      const message = exception instanceof Error ? exception.message : 'request failed';
      return new FlowstackError(CODE_BY_STATUS[status], status === 404 ? 'no such endpoint' : message);
    }
    this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    return new FlowstackError('internal', 'internal error');
  }
}
