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
  private subscriptions: { types: Set<string>; readAt: number } | undefined;
  private generation = 0;

  constructor(private readonly repository: WebhookRepository) {}

  async publish(tx: Prisma.TransactionClient, type: string, data: Record<string, unknown>, at: Date = new Date()): Promise<number> {
    if (!(await this.hasSubscribers(type, tx))) return 0;
    const envelope: WebhookEnvelope = { type, timestamp: at.toISOString(), data };
    return this.repository.insertForSubscribers(type, envelope, tx);
  }

  /** Call after a transaction that created an endpoint committed. */
  subscriptionsChanged(): void {
    this.generation += 1;
    this.subscriptions = undefined;
  }

  /**
   * Whether an enabled endpoint may subscribe to `type` (as of at most SUBSCRIPTIONS_TTL_MS ago).
   * Inside a transaction pass it: the read then uses the transaction's connection. (Waiting on a
   * read shared with other callers could leave every pooled connection held by a transaction
   * waiting for a read that needs one more: so each caller reads on its own client.)
   */
  async hasSubscribers(type: string, client: Prisma.TransactionClient = this.repository.client): Promise<boolean> {
    const now = Date.now();
    let types = this.subscriptions && now - this.subscriptions.readAt <= SUBSCRIPTIONS_TTL_MS ? this.subscriptions.types : undefined;
    if (!types) {
      const generation = this.generation;
      try {
        types = await this.repository.subscribedEventTypes(client);
      } catch {
        return true; // cannot tell: let the INSERT decide
      }
      // An endpoint created while this read ran may be missing from it: keep it only if none was.
      if (generation === this.generation) this.subscriptions = { types, readAt: now };
    }
    return types.has(type) || types.has('*');
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
