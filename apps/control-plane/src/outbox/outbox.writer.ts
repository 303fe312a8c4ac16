import { EventEmitter } from 'node:events';
import { Injectable } from '@nestjs/common';
import type { Prisma } from '@bridgefleet/db/generated/client.js';

export type Tx = Prisma.TransactionClient;

/**
 * Writes outbox rows inside the caller's transaction, so a state change and the work
 * it triggers commit (or vanish) together. After the commit, `committed()` wakes a
 * relay running in this process at once; relays elsewhere find the row on their next poll.
 */
@Injectable()
export class OutboxWriter {
  private readonly signal = new EventEmitter();

  async append(tx: Tx, topic: string, payload: Prisma.InputJsonValue): Promise<void> {
    await tx.outboxEntry.create({ data: { topic, payload } });
  }

  /** Call after the transaction that appended rows has committed. */
  committed(): void {
    this.signal.emit('committed');
  }

  onCommitted(listener: () => void): () => void {
    this.signal.on('committed', listener);
    return () => this.signal.off('committed', listener);
  }
}
