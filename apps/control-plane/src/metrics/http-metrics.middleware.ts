import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { MetricsService } from './metrics.service.js';

@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: MetricsService) {}

  use(request: Request, response: Response, next: NextFunction): void {
    const stop = this.metrics.httpDuration.startTimer();
    response.on('finish', () => {
      // Express sets route only for matched routes; unmatched paths share one label value.
      const route = (request.route as { path?: string } | undefined)?.path;
      const template = route ? `${request.baseUrl}${route}` : 'unmatched';
      stop({ method: request.method, route: template, status: String(response.statusCode) });
    });
    next();
  }
}
