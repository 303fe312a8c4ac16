import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Prisma } from '@bridgefleet/db/generated/client.js';
import {
  CANCELABLE_STATUSES,
  type AcceptedMessage,
  type MessageListQuery,
  type MessageView,
  type SendMessageBody,
} from '@bridgefleet/contracts/messages.schema.js';
import { AuditRepository } from '../audit/audit.repository.js';
import type { Principal } from '../auth/principal.js';
import { CLOCK, type Clock } from '../clock/clock.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.schema.js';
import { PrismaService } from '../database/prisma.service.js';
import { InvalidTransition, NotFound } from '../http/problems.js';
import { OutboxWriter } from '../outbox/outbox.writer.js';
import { WebhookPublisher } from '../webhooks/webhook.publisher.js';
import { asDependencyDown } from './database-errors.js';
import { IDEMPOTENCY_TTL_MS, IdempotencyKeyReused, IdempotentRequestInFlight, requestHash } from './idempotency.js';
import { IdempotencyRepository } from './idempotency.repository.js';
import { decodeCursor, encodeCursor } from './keyset-cursor.js';
import { MessageRepository } from './message.repository.js';
import { MessageMetrics } from './message-metrics.js';
import { MessageTransitions } from './message-transitions.js';
import { toMessageSummary, toMessageView } from './message-view.js';

/** Topic of the outbox row written with every accepted message; the dispatcher consumes it. */
export const MESSAGE_QUEUED_TOPIC = 'message.queued';

export interface SendCommand {
  body: SendMessageBody;
  /** The request body as sent, for the idempotency hash. */
  rawBody: unknown;
  idempotencyKey?: string;
  principal: Principal;
}

export interface SendOutcome {
  status: number;
  body: AcceptedMessage;
  replayed: boolean;
}

@Injectable()
export class MessagesService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly messages: MessageRepository,
    private readonly idempotency: IdempotencyRepository,
    private readonly transitions: MessageTransitions,
    private readonly outbox: OutboxWriter,
    private readonly webhooks: WebhookPublisher,
    private readonly audit: AuditRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: MessageMetrics,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * One transaction: idempotency record (with its response), message, history entry and
   * outbox row. The caller answers 202 only after it committed.
   */
  async send(command: SendCommand): Promise<SendOutcome> {
    // The injected clock, as dispatch uses: validUntil is compared against it when deciding
    // to expire, so both must come from the same time source (a ManualClock in tests).
    const now = this.clock.now();
    const accepted: AcceptedMessage = {
      id: randomUUID(),
      status: 'queued',
      to: command.body.to,
      lineId: null,
      createdAt: now.toISOString(),
    };
    let outcome: SendOutcome;
    try {
      outcome = await this.prisma.$transaction(async (tx) => {
        const replay = command.idempotencyKey ? await this.claimKey(tx, command, accepted, now) : undefined;
        if (replay) return replay;
        await this.messages.createQueued(tx, {
          id: accepted.id,
          contactHandle: command.body.to,
          body: command.body.body ?? null,
          attachments: command.body.attachments ?? [],
          metadata: command.body.metadata ?? null,
          idempotencyKey: command.idempotencyKey ?? null,
          validUntil: command.body.validForSeconds === undefined ? null : new Date(now.getTime() + command.body.validForSeconds * 1000),
          createdAt: now,
        });
        await this.outbox.append(tx, MESSAGE_QUEUED_TOPIC, { messageId: accepted.id });
        return { status: 202, body: accepted, replayed: false };
      });
    } catch (error) {
      throw asDependencyDown(error, this.config.RETRY_AFTER_SECONDS);
    }
    if (!outcome.replayed) {
      this.outbox.committed();
      this.metrics.entered('outbound', 'queued');
    }
    return outcome;
  }

  /** Returns the stored outcome to replay, or undefined after recording this request as the key's first. */
  private async claimKey(
    tx: Prisma.TransactionClient,
    command: SendCommand,
    accepted: AcceptedMessage,
    now: Date,
  ): Promise<SendOutcome | undefined> {
    const apiKeyId = command.principal.keyId;
    const key = command.idempotencyKey!;
    if (!(await this.idempotency.tryLock(tx, apiKeyId, key))) throw new IdempotentRequestInFlight();
    const hash = requestHash(command.rawBody);
    const existing = await this.idempotency.findLive(tx, apiKeyId, key, now);
    if (existing) {
      if (existing.requestHash !== hash) throw new IdempotencyKeyReused();
      if (existing.responseStatus === null) throw new IdempotentRequestInFlight();
      return { status: existing.responseStatus, body: existing.responseBody as AcceptedMessage, replayed: true };
    }
    await this.idempotency.put(tx, {
      apiKeyId,
      key,
      requestHash: hash,
      responseStatus: 202,
      responseBody: accepted,
      createdAt: now,
      expiresAt: new Date(now.getTime() + IDEMPOTENCY_TTL_MS),
    });
    return undefined;
  }

  async get(id: string): Promise<MessageView> {
    const row = await this.messages.findWithHistory(id);
    if (!row) throw new NotFound('Message', id);
    return toMessageView(row);
  }

  async list(query: MessageListQuery) {
    const rows = await this.messages.list({
      contactHandle: query.to,
      lineId: query.lineId,
      status: query.status,
      direction: query.direction,
      limit: query.limit,
      after: query.cursor === undefined ? undefined : decodeCursor(query.cursor),
    });
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return { items: page.map(toMessageSummary), nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null };
  }

  /** Cancels a message the dispatcher has not started sending; 409 from `sending` on. */
  async cancel(id: string, principal: Principal): Promise<MessageView> {
    await this.prisma.$transaction(async (tx) => {
      const result = await this.transitions.transition(tx, {
        messageId: id,
        from: CANCELABLE_STATUSES,
        to: 'canceled',
        detail: `canceled by ${principal.actor}`,
      });
      if (!result.applied) {
        if (result.current === undefined) throw new NotFound('Message', id);
        throw new InvalidTransition('message', result.current, 'cancel');
      }
      await this.audit.record(
        { actor: principal.actor, action: 'message.cancel', targetType: 'message', targetId: id, detail: { from: result.previous } },
        tx,
      );
    });
    this.webhooks.committed();
    return this.get(id);
  }
}
