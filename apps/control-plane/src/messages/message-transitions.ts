import { Injectable } from '@nestjs/common';
import type { MessageStatus, Prisma } from '@bridgefleet/db/generated/client.js';
import type { MessageStatusData } from '@bridgefleet/contracts/webhooks.schema.js';
import { WebhookPublisher } from '../webhooks/webhook.publisher.js';
import { MessageMetrics } from './message-metrics.js';
import { MessageRepository } from './message.repository.js';

type Tx = Prisma.TransactionClient;

export interface TransitionCommand {
  messageId: string;
  /** The statuses the message may be in for the change to apply (compare-and-set). */
  from: readonly MessageStatus[];
  to: MessageStatus;
  detail?: string;
  error?: string | null;
  lineId?: string | null;
  at?: Date;
}

export type TransitionResult =
  | { applied: true; previous: MessageStatus; message: Awaited<ReturnType<MessageRepository['update']>> }
  | { applied: false; current: MessageStatus | undefined };

/**
 * The one way a message's status changes: compare-and-set under a row lock, a history
 * entry, and a `message.status` webhook for outbound messages, all in the caller's
 * transaction. The dispatcher and agent-event handling use it as cancel does.
 */
@Injectable()
export class MessageTransitions {
  constructor(
    private readonly messages: MessageRepository,
    private readonly webhooks: WebhookPublisher,
    private readonly metrics: MessageMetrics,
  ) {}

  async transition(tx: Tx, command: TransitionCommand): Promise<TransitionResult> {
    const current = await this.messages.lockStatus(tx, command.messageId);
    if (current === undefined || !command.from.includes(current)) return { applied: false, current };
    const at = command.at ?? new Date();
    const message = await this.messages.update(tx, command.messageId, {
      status: command.to,
      ...(command.error === undefined ? {} : { error: command.error }),
      ...(command.lineId === undefined
        ? {}
        : { line: command.lineId === null ? { disconnect: true } : { connect: { id: command.lineId } } }),
    });
    await this.messages.addHistory(tx, { messageId: message.id, status: command.to, at, detail: command.detail });
    if (message.direction === 'outbound') {
      const data: MessageStatusData = {
        messageId: message.id,
        status: command.to,
        previousStatus: current,
        to: message.contactHandle,
        lineId: message.lineId,
        at: at.toISOString(),
        ...(command.detail ? { detail: command.detail } : {}),
        error: message.error,
        metadata: (message.metadata as MessageStatusData['metadata']) ?? null,
      };
      await this.webhooks.publish(tx, 'message.status', data, at);
    }
    // Counted inside the caller's transaction: a rolled-back change may be counted once too often.
    this.metrics.entered(message.direction, command.to, message.createdAt, at);
    return { applied: true, previous: current, message };
  }
}
