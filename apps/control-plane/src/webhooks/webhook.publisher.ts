import { EventEmitter } from 'node:events';
import { Injectable } from '@nestjs/common';
import type { Prisma } from '@bridgefleet/db/generated/client.js';
import type { WebhookEnvelope } from '@bridgefleet/contracts/webhooks.schema.js';
import { WebhookRepository } from './webhook.repository.js';

// Every status change publishes; with no endpoint subscribed to its type the fan-out
// INSERT is a wasted round trip per transition. The subscribed types are reused this
// long: an endpoint created in this process counts at once (subscriptionsChanged), one
// created on another replica within this time. Disabled or deleted endpoints only make
// the INSERT run for nothing (it filters them itself).
const SUBSCRIPTIONS_TTL_MS = 1_000;

/**
 * The port every module publishes webhook events through. `publish` writes one
 * delivery row per subscribed endpoint inside the caller's transaction: the event
 * exists exactly when the change that caused it committed.
 */
@Injectable()
export class WebhookPublisher {
  private readonly signal = new EventEmitter();
  private subscriptions: { types: Promise<Set<string>>; readAt: number } | undefined;

  constructor(private readonly repository: WebhookRepository) {}

  async publish(tx: Prisma.TransactionClient, type: string, data: Record<string, unknown>, at: Date = new Date()): Promise<number> {
    if (!(await this.anySubscriber(type, tx))) return 0;
    const envelope: WebhookEnvelope = { type, timestamp: at.toISOString(), data };
    return this.repository.insertForSubscribers(type, envelope, tx);
  }

  /** Call after a transaction that created an endpoint committed. */
  subscriptionsChanged(): void {
    this.subscriptions = undefined;
  }

  // Read on the caller's transaction: a second pool connection per open transaction could starve the pool.
  private async anySubscriber(type: string, tx: Prisma.TransactionClient): Promise<boolean> {
    const now = Date.now();
    if (!this.subscriptions || now - this.subscriptions.readAt > SUBSCRIPTIONS_TTL_MS) {
      const types = this.repository.subscribedEventTypes(tx);
      this.subscriptions = { types, readAt: now };
      types.catch(() => (this.subscriptions = undefined));
    }
    try {
      const types = await this.subscriptions.types;
      return types.has(type) || types.has('*');
    } catch {
      return true; // cannot tell: let the INSERT decide
    }
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
