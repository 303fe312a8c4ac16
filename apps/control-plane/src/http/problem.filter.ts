import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { Problem } from './problems.js';

interface BodyParserError {
  type?: string;
  status?: number;
  limit?: number;
}

interface PrismaKnownError {
  code?: string;
  name?: string;
  message?: string;
  meta?: { target?: unknown; modelName?: string };
}

function fromPrisma(error: PrismaKnownError): Problem | undefined {
  if (error.code === 'P2002') return new Problem(409, 'Conflict', 'A resource with the same unique value already exists.');
  if (error.code === 'P2025') return new Problem(404, 'Not found', 'The resource does not exist.');
  if (error.code === 'P2003') return new Problem(409, 'Conflict', 'The resource is still referenced by another resource.');
  // P1001/P1002/P1008/P1017/P2024: PostgreSQL unreachable, timed out, closed, or the pool exhausted.
  const unreachable =
    ['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'ECONNREFUSED', 'ECONNRESET'].includes(error.code ?? '') ||
    // pg-pool's own error when PostgreSQL drops a pooled connection (a restart): it has no code
    // and reaches us unwrapped from reads outside a transaction (e.g. the API key lookup).
    /^Connection terminated/.test(error.message ?? '');
  if (error.name === 'DriverAdapterError' || unreachable) {
    return new Problem(503, 'Service unavailable', 'The database is unavailable; retry later.', undefined, { 'Retry-After': '5' });
  }
  return undefined;
}

const STATUS_TITLES: Record<number, string> = {
  400: 'Invalid request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  429: 'Too many requests',
  503: 'Service unavailable',
};

function toProblem(exception: unknown): Problem {
  if (exception instanceof Problem) return exception;
  const parser = exception as BodyParserError;
  if (parser?.type === 'entity.too.large') return new Problem(413, 'Payload too large', `The body exceeds ${parser.limit} bytes.`);
  if (parser?.type === 'entity.parse.failed') {
    return new Problem(400, 'Invalid request', 'The body is not valid JSON.', [{ path: '', message: 'malformed JSON' }]);
  }
  if (parser?.type === 'encoding.unsupported' || parser?.type === 'charset.unsupported') {
    return new Problem(415, 'Unsupported media type', 'Send UTF-8 JSON.');
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    // Express and Nest raise plain HttpExceptions (e.g. 413 from the body parser): name them by status.
    const title = STATUS_TITLES[status] ?? exception.name.replace(/Exception$/, '');
    return new Problem(status, title, status === 413 ? 'The body is larger than the limit (BODY_LIMIT).' : exception.message);
  }
  return fromPrisma(exception as PrismaKnownError) ?? new Problem(500, 'Internal error', 'An unexpected error occurred.');
}

/** Every error leaves as application/problem+json: {type, title, status, detail, errors?}. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const problem = toProblem(exception);
    if (problem.status >= 500 && problem.status !== 503) {
      this.logger.error((exception as Error)?.stack ?? String(exception));
    }
    if (response.headersSent) return;
    for (const [name, value] of Object.entries(problem.headers)) response.setHeader(name, value);
    response
      .status(problem.status)
      .type('application/problem+json')
      .send(
        JSON.stringify({
          type: problem.type,
          title: problem.title,
          status: problem.status,
          detail: problem.message,
          ...(problem.errors ? { errors: problem.errors } : {}),
        }),
      );
  }
}
