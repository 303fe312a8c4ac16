import { EventEmitter } from 'node:events';
import { Injectable } from '@nestjs/common';
import type { Prisma } from '@bridgefleet/db/generated/client.js';
import type { WebhookEnvelope } from '@bridgefleet/contracts/webhooks.schema.js';
import { WebhookRepository } from './webhook.repository.js';

/**
 * The port every module publishes webhook events through. `publish` writes one
 * delivery row per subscribed endpoint inside the caller's transaction: the event
 * exists exactly when the change that caused it committed.
 */
@Injectable()
export class WebhookPublisher {
  private readonly signal = new EventEmitter();

  constructor(private readonly repository: WebhookRepository) {}

  async publish(tx: Prisma.TransactionClient, type: string, data: Record<string, unknown>, at: Date = new Date()): Promise<number> {
    const envelope: WebhookEnvelope = { type, timestamp: at.toISOString(), data };
    return this.repository.insertForSubscribers(type, envelope, tx);
  }

  /** Call after the transaction that published has committed: wakes a sender in this process. */
  committed(): void {
    this.signal.emit('committed');
  }

  onCommitted(listener: () => void): () => void {
    this.signal.on('committed', listener);
    return () => this.signal.off('committed', listener);
  }
}
