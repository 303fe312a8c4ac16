import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { Counter } from 'prom-client';
import { WEBHOOK_HEADERS } from '@bridgefleet/contracts/webhooks.schema.js';
import { AuditRepository } from '../audit/audit.repository.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.schema.js';
import { runsRole } from '../config/roles.js';
import { PrismaService } from '../database/prisma.service.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { WakeablePollLoop } from '../reconcile/wakeable-poll-loop.js';
import { judgeTry, parseRetrySchedule, type TryResult } from './retry-schedule.js';
import { signWebhook } from './webhook-signature.js';
import { WebhookPublisher } from './webhook.publisher.js';
import { WebhookRepository, type ClaimedDelivery } from './webhook.repository.js';

const BATCH = 20;
const LEASE_MARGIN_MS = 60_000;

/**
 * Posts due deliveries (ROLES worker/all): Standard Webhooks headers, signed body,
 * the verdict of retry-schedule.ts recorded after each try. Polls every WEBHOOK_POLL_MS
 * and wakes at once when this process published something.
 */
@Injectable()
export class WebhookSender implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('webhooks');
  private readonly schedule: number[];
  private readonly results: Counter<'result'>;
  private readonly loop: WakeablePollLoop;
  private stopListening: (() => void) | undefined;

  constructor(
    private readonly repository: WebhookRepository,
    private readonly publisher: WebhookPublisher,
    private readonly audit: AuditRepository,
    private readonly prisma: PrismaService,
    metrics: MetricsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.schedule = parseRetrySchedule(config.WEBHOOK_RETRY_SCHEDULE);
    this.results = new Counter({
      name: 'bridgefleet_webhook_deliveries_total',
      help: 'Webhook delivery tries by result (succeeded, retry, dead, failed, gone).',
      labelNames: ['result'] as const,
      registers: [metrics.registry],
    });
    this.loop = new WakeablePollLoop({
      name: 'webhook sender',
      logger: this.logger,
      pollMs: config.WEBHOOK_POLL_MS,
      pass: async () => (await this.sendDue()) >= BATCH,
    });
  }

  onApplicationBootstrap(): void {
    if (!runsRole(this.config, 'worker')) return;
    this.stopListening = this.publisher.onCommitted(() => this.nudge());
    this.loop.start();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopListening?.();
    await this.loop.stop();
  }

  nudge(): void {
    this.loop.nudge();
  }

  /** Sends every delivery due now, once; returns how many it tried. */
  async sendDue(): Promise<number> {
    const now = new Date();
    const claimed = await this.repository.claimDue(now, new Date(now.getTime() + this.config.WEBHOOK_TIMEOUT_MS + LEASE_MARGIN_MS), BATCH);
    await Promise.all(claimed.map((delivery) => this.deliver(delivery)));
    return claimed.length;
  }

  private async deliver(delivery: ClaimedDelivery): Promise<void> {
    const result = await this.post(delivery);
    const attempts = delivery.attempts + 1;
    const verdict = judgeTry(result, attempts, this.schedule);
    const statusCode = 'statusCode' in result ? result.statusCode : null;
    const error = 'error' in result ? result.error : statusCode !== null && statusCode >= 300 ? `HTTP ${statusCode}` : null;
    this.results.inc({ result: verdict.status === 'pending' ? 'retry' : verdict.status });
    if (verdict.status === 'gone') return this.disableGoneEndpoint(delivery, attempts);
    await this.repository.recordTry(delivery.id, {
      status: verdict.status,
      attempts,
      statusCode,
      error,
      nextAttemptAt: verdict.status === 'pending' ? new Date(Date.now() + verdict.retryInMs) : null,
    });
    if (verdict.status === 'dead') this.logger.warn(`webhook delivery ${delivery.id} dead after ${attempts} tries (${error})`);
  }

  private async post(delivery: ClaimedDelivery): Promise<TryResult> {
    const body = JSON.stringify(delivery.payload);
    const timestamp = Math.floor(Date.now() / 1000);
    try {
      const response = await fetch(delivery.url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(this.config.WEBHOOK_TIMEOUT_MS),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'bridgefleet-webhooks/1',
          [WEBHOOK_HEADERS.id]: delivery.id,
          [WEBHOOK_HEADERS.timestamp]: String(timestamp),
          [WEBHOOK_HEADERS.signature]: signWebhook(delivery.secret, delivery.id, timestamp, body),
        },
        body,
      });
      await response.body?.cancel();
      return { statusCode: response.status };
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      return { error: cause ?? (error as Error).name ?? 'network error' };
    }
  }

  /** 410 Gone: the receiver wants no more; disable the endpoint and say so in the audit log. */
  private async disableGoneEndpoint(delivery: ClaimedDelivery, attempts: number): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      await this.repository.recordTry(
        delivery.id,
        { status: 'failed', attempts, statusCode: 410, error: '410 Gone', nextAttemptAt: null },
        tx,
      );
      if (await this.repository.disableEndpoint(delivery.endpointId, new Date(), tx)) {
        await this.audit.record(
          {
            actor: 'system:webhooks',
            action: 'webhook.disable',
            targetType: 'webhook',
            targetId: delivery.endpointId,
            reason: 'the receiver answered 410 Gone',
            detail: { deliveryId: delivery.id },
          },
          tx,
        );
      }
    });
    this.logger.warn(`webhook endpoint ${delivery.endpointId} answered 410 Gone: disabled`);
  }
}
