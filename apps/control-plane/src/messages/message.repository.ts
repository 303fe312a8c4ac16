import { Injectable } from '@nestjs/common';
import type { MessageDirection, MessageStatus, Prisma } from '@bridgefleet/db/generated/client.js';
import { PrismaService } from '../database/prisma.service.js';
import { afterPosition, type KeysetPosition } from './keyset-cursor.js';

type Tx = Prisma.TransactionClient;

export interface NewOutboundMessage {
  id: string;
  contactHandle: string;
  body: string | null;
  attachments: Prisma.InputJsonValue;
  metadata: Prisma.InputJsonValue | null;
  idempotencyKey: string | null;
  validUntil: Date | null;
  createdAt: Date;
}

export interface MessageFilter {
  contactHandle?: string;
  lineId?: string;
  status?: MessageStatus;
  direction?: MessageDirection;
  limit: number;
  after?: KeysetPosition;
}

@Injectable()
export class MessageRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** A new outbound message in status `queued`, with the first history entry. */
  async createQueued(tx: Tx, message: NewOutboundMessage): Promise<void> {
    await tx.message.create({
      data: {
        ...message,
        metadata: message.metadata ?? undefined,
        direction: 'outbound',
        status: 'queued',
        history: { create: { status: 'queued', at: message.createdAt } },
      },
    });
  }

  findWithHistory(id: string) {
    return this.prisma.message.findUnique({ where: { id }, include: { history: { orderBy: { id: 'asc' } } } });
  }

  list(filter: MessageFilter) {
    return this.prisma.message.findMany({
      where: {
        ...(filter.contactHandle ? { contactHandle: filter.contactHandle } : {}),
        ...(filter.lineId ? { lineId: filter.lineId } : {}),
        ...(filter.status ? { status: filter.status } : {}),
        ...(filter.direction ? { direction: filter.direction } : {}),
        ...afterPosition(filter.after),
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: filter.limit + 1,
    });
  }

  /** Reads the status under a row lock, so a status change decided from it cannot race another writer. */
  async lockStatus(tx: Tx, id: string): Promise<MessageStatus | undefined> {
    const [row] = await tx.$queryRaw<{ status: MessageStatus }[]>`SELECT status FROM messages WHERE id = ${id}::uuid FOR UPDATE`;
    return row?.status;
  }

  update(tx: Tx, id: string, data: Prisma.MessageUpdateInput) {
    return tx.message.update({ where: { id }, data });
  }

  async addHistory(tx: Tx, entry: { messageId: string; status: MessageStatus; at: Date; detail?: string }): Promise<void> {
    await tx.messageStatusEvent.create({
      data: { messageId: entry.messageId, status: entry.status, at: entry.at, detail: entry.detail ?? null },
    });
  }
}
