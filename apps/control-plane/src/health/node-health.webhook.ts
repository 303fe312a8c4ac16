import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service.js';
import { WebhookPublisher } from '../webhooks/webhook.publisher.js';
import { HealthEvents, type NodeHealthChanged } from './health-events.js';

/**
 * Publishes the `node.health` webhook on every node health state change. It listens on
 * HealthEvents, which fire after the poller committed the change, so a change exists
 * before its webhook does; the webhook rows are written in their own transaction.
 */
@Injectable()
export class NodeHealthWebhook implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('node-health-webhook');
  private unsubscribe?: () => void;

  constructor(
    private readonly events: HealthEvents,
    private readonly webhooks: WebhookPublisher,
    private readonly prisma: PrismaService,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.events.subscribe((event) => this.publish(event));
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  async publish(event: NodeHealthChanged): Promise<void> {
    const data = { nodeId: event.nodeId, state: event.to, previousState: event.from, reason: event.reason };
    try {
      await this.prisma.$transaction((tx) => this.webhooks.publish(tx, 'node.health', data, event.at));
      this.webhooks.committed();
    } catch (error) {
      this.logger.warn(`node.health webhook for node ${event.nodeId} not written: ${(error as Error).message}`);
    }
  }
}
