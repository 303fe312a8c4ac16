import { Injectable } from '@nestjs/common';
import type { Message, MessageStatus, Prisma } from '@bridgefleet/db/generated/client.js';
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
  providerId?: string;
  incrementAttempts?: boolean;
  /** The change is the send itself: count it on the contact (lastOutboundAt, unanswered) in the same statement. */
  countOutbound?: boolean;
  at?: Date;
}

export type TransitionResult =
  { applied: true; previous: MessageStatus; message: Message } | { applied: false; current: MessageStatus | undefined };

/**
 * The one way a message's status changes: compare-and-set under a row lock and a history
 * entry (one statement), and a `message.status` webhook for outbound messages, all in the caller's
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
    const at = command.at ?? new Date();
    const { previous: current, message } = await this.messages.applyStatusChange(tx, {
      id: command.messageId,
      from: command.from,
      to: command.to,
      at,
      ...(command.detail === undefined ? {} : { detail: command.detail }),
      ...(command.error === undefined ? {} : { error: command.error }),
      ...(command.lineId === undefined ? {} : { lineId: command.lineId }),
      ...(command.providerId === undefined ? {} : { providerId: command.providerId }),
      incrementAttempts: command.incrementAttempts ?? false,
      countOutbound: command.countOutbound ?? false,
    });
    if (current === undefined || !message) return { applied: false, current };
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
