import { Injectable } from '@nestjs/common';

export interface OutboxEntry {
  id: bigint;
  topic: string;
  payload: unknown;
  createdAt: Date;
}

/**
 * Moves one outbox entry to where it goes (e.g. a BullMQ queue). It must be safe to
 * run twice for the same entry (a crash after the handler and before the row's delete
 * replays it): use the entry's natural id as the job id.
 */
export type OutboxHandler = (entry: OutboxEntry) => Promise<void>;

/** The in-process port through which other modules say what to do with each outbox topic. */
@Injectable()
export class OutboxHandlers {
  private readonly handlers = new Map<string, OutboxHandler>();

  register(topic: string, handler: OutboxHandler): void {
    if (this.handlers.has(topic)) throw new Error(`outbox topic "${topic}" already has a handler`);
    this.handlers.set(topic, handler);
  }

  get(topic: string): OutboxHandler | undefined {
    return this.handlers.get(topic);
  }
}
