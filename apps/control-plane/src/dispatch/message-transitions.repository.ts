import { Injectable } from '@nestjs/common';
import { statusesBefore } from '@bridgefleet/policy/messages/message-status.js';
import type { MessageStatus, Prisma } from '@bridgefleet/db/generated/client.js';
import type { Tx } from '../audit/audit.repository.js';
import { PrismaService } from '../database/prisma.service.js';

export interface TransitionExtra {
  detail?: string;
  lineId?: string;
  providerId?: string;
  error?: string | null;
  incrementAttempts?: boolean;
}

export type StatusListener = (
  tx: Tx,
  change: { messageId: string; from: string | null; to: string; at: Date; detail?: string },
) => Promise<void>;

/**
 * Every status change of a message goes through here: a compare-and-set on the
 * current status (so it only ever moves forward, whatever races), a history row,
 * and the listeners (webhooks) in the same transaction.
 */
@Injectable()
export class MessageTransitionsRepository {
  private readonly listeners: StatusListener[] = [];

  constructor(private readonly prisma: PrismaService) {}

  onStatusChange(listener: StatusListener): void {
    this.listeners.push(listener);
  }

  findMany(ids: string[]) {
    return this.prisma.message.findMany({ where: { id: { in: ids } } });
  }

  findById(id: string) {
    return this.prisma.message.findUnique({ where: { id } });
  }

  findByProviderId(providerId: string) {
    return this.prisma.message.findFirst({ where: { providerId, direction: 'outbound' } });
  }

  /** Moves the message to `to` if its current status may advance there; false if it may not (already further). */
  async advance(messageId: string, to: MessageStatus, at: Date, extra: TransitionExtra = {}, tx?: Tx): Promise<boolean> {
    const run = async (client: Tx) => {
      const from = statusesBefore(to) as MessageStatus[];
      const current = await client.message.findUnique({ where: { id: messageId }, select: { status: true } });
      if (!current || !from.includes(current.status)) return false;
      const data: Prisma.MessageUpdateManyMutationInput & { lineId?: string } = { status: to };
      if (extra.lineId !== undefined) data.lineId = extra.lineId;
      if (extra.providerId !== undefined) data.providerId = extra.providerId;
      if (extra.error !== undefined) data.error = extra.error;
      if (extra.incrementAttempts) data.attempts = { increment: 1 };
      const updated = await client.message.updateMany({ where: { id: messageId, status: current.status }, data });
      if (updated.count === 0) return false;
      await client.messageStatusEvent.create({ data: { messageId, status: to, at, detail: extra.detail ?? null } });
      for (const listener of this.listeners) {
        await listener(client, { messageId, from: current.status, to, at, ...(extra.detail ? { detail: extra.detail } : {}) });
      }
      return true;
    };
    return tx ? run(tx) : this.prisma.$transaction(run);
  }

  /** A history note without a status change (e.g. a retry scheduled), so operators see why a message waits. */
  async note(messageId: string, status: MessageStatus, at: Date, detail: string, error?: string): Promise<void> {
    await this.prisma.$transaction([
      this.prisma.messageStatusEvent.create({ data: { messageId, status, at, detail } }),
      ...(error === undefined ? [] : [this.prisma.message.update({ where: { id: messageId }, data: { error } })]),
    ]);
  }

  incrementAttempts(messageId: string) {
    return this.prisma.message.update({ where: { id: messageId }, data: { attempts: { increment: 1 } } });
  }
}
