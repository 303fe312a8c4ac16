import { Injectable } from '@nestjs/common';
import { statusesBefore } from '@bridgefleet/policy/messages/message-status.js';
import type { MessageStatus } from '@bridgefleet/db/generated/client.js';
import type { Tx } from '../audit/audit.repository.js';
import { PrismaService } from '../database/prisma.service.js';
import { MessageTransitions } from '../messages/message-transitions.js';
import { WebhookPublisher } from '../webhooks/webhook.publisher.js';

export interface TransitionExtra {
  detail?: string;
  lineId?: string;
  providerId?: string;
  error?: string | null;
  incrementAttempts?: boolean;
}

/**
 * The dispatch path's view of message status: every change goes through
 * MessageTransitions (row lock, compare-and-set, history, `message.status`
 * webhook) with the allowed starting statuses derived from the forward-only
 * order, so late or repeated agent answers and events can never move a message back.
 */
@Injectable()
export class MessageTransitionsRepository {
  constructor(
    private readonly prisma: PrismaService,
    private readonly transitions: MessageTransitions,
    private readonly webhooks: WebhookPublisher,
  ) {}

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
      const result = await this.transitions.transition(client, {
        messageId,
        from: statusesBefore(to) as MessageStatus[],
        to,
        at,
        ...(extra.detail === undefined ? {} : { detail: extra.detail }),
        ...(extra.error === undefined ? {} : { error: extra.error }),
        ...(extra.lineId === undefined ? {} : { lineId: extra.lineId }),
        ...(extra.providerId === undefined ? {} : { providerId: extra.providerId }),
        ...(extra.incrementAttempts ? { incrementAttempts: true } : {}),
        // Exactly once per message, whichever path (agent answer or event) saw it first.
        countOutbound: to === 'sent',
      });
      return result.applied;
    };
    if (tx) return run(tx);
    const applied = await this.prisma.$transaction(run);
    if (applied) this.webhooks.committed();
    return applied;
  }

  /** A history note without a status change (e.g. a retry scheduled), so operators see why a message waits. */
  async note(
    messageId: string,
    status: MessageStatus,
    at: Date,
    detail: string,
    change: { error?: string; incrementAttempts?: boolean } = {},
  ): Promise<void> {
    const data = {
      ...(change.error === undefined ? {} : { error: change.error }),
      ...(change.incrementAttempts ? { attempts: { increment: 1 } } : {}),
    };
    await this.prisma.$transaction([
      this.prisma.messageStatusEvent.create({ data: { messageId, status, at, detail } }),
      ...(Object.keys(data).length ? [this.prisma.message.update({ where: { id: messageId }, data })] : []),
    ]);
  }
}
