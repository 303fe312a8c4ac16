import { randomUUID } from 'node:crypto';
import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { AppLogger } from './app-logger.js';
import { describeBody } from './log-redaction.js';

// A caller's id is kept only if it is short and plain, so nothing odd reaches the logs.
const CALLER_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export type RequestWithId = Request & { id?: string };

/**
 * Gives every request an id (the caller's `x-request-id` if sane, else a new UUID), echoes it
 * in the response and writes one JSON line when the response is done. The line carries the
 * route, never headers, query strings or bodies; a message body appears as length and hash.
 */
@Injectable()
export class RequestIdMiddleware implements NestMiddleware {
  constructor(private readonly logger: AppLogger) {}

  use(request: RequestWithId, response: Response, next: NextFunction): void {
    const offered = request.header('x-request-id');
    const id = offered && CALLER_ID.test(offered) ? offered : randomUUID();
    request.id = id;
    response.setHeader('x-request-id', id);
    const started = performance.now();
    response.on('finish', () => {
      const route = (request.route as { path?: string } | undefined)?.path;
      const payload = request.body as { body?: unknown } | undefined;
      this.logger.pino.info({
        event: 'http.request',
        requestId: id,
        method: request.method,
        route: route ? `${request.baseUrl}${route}` : undefined,
        path: request.originalUrl.split('?')[0],
        status: response.statusCode,
        durationMs: Math.round((performance.now() - started) * 10) / 10,
        ...describeBody(payload?.body),
      });
    });
    next();
  }
}
