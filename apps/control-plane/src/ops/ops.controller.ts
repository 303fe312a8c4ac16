import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { z } from 'zod';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.schema.js';
import { Endpoint } from '../http/endpoint.decorator.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { ReadinessService } from './readiness.service.js';

const ReadyView = z.object({
  status: z.enum(['ready', 'not_ready']),
  checks: z.record(
    z.string(),
    z.object({ status: z.enum(['up', 'down']), error: z.string().optional(), latencyMs: z.number().optional() }),
  ),
  detail: z.record(z.string(), z.unknown()),
});

@Controller()
export class OpsController {
  constructor(
    private readonly readiness: ReadinessService,
    private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('healthz')
  @Endpoint({
    scope: 'public',
    tag: 'operations',
    summary: 'Liveness: the process answers',
    response: z.object({ status: z.literal('ok') }),
  })
  healthz() {
    return { status: 'ok' };
  }

  @Get('readyz')
  @Endpoint({
    scope: 'public',
    tag: 'operations',
    summary: 'Readiness: PostgreSQL and Redis answer (503 with the reason otherwise)',
    response: ReadyView,
    errors: [503],
  })
  async readyz(@Res({ passthrough: true }) response: Response) {
    const result = await this.readiness.check();
    if (!result.ready) {
      response.status(503).setHeader('Retry-After', String(this.config.RETRY_AFTER_SECONDS));
    }
    return { status: result.ready ? 'ready' : 'not_ready', checks: result.checks, detail: result.detail };
  }

  @Get('metrics')
  @Endpoint({ scope: 'public', tag: 'operations', summary: 'Prometheus metrics' })
  async metricsText(@Res() response: Response) {
    response.setHeader('Content-Type', this.metrics.registry.contentType);
    response.send(await this.metrics.registry.metrics());
  }
}
