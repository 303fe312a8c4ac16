import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ContactHandle } from '@bridgefleet/contracts/common.schema.js';
import type { AgentEvent } from '@bridgefleet/contracts/agent.schema.js';
import { AuditRepository } from '../audit/audit.repository.js';
import { PrismaService } from '../database/prisma.service.js';
import { WebhookPublisher } from '../webhooks/webhook.publisher.js';
import { CLOCK, type Clock } from '../clock/clock.js';
import { MessageMetrics } from '../messages/message-metrics.js';
import { DispatcherService } from './dispatcher.service.js';
import { LineSchedulerRepository } from './line-scheduler.repository.js';
import { MessageTransitionsRepository } from './message-transitions.repository.js';
import { SendGate } from './send-gate.js';

/**
 * Step 6 of DESIGN.md's sending: what an agent event changes. Outbound statuses
 * only move forward (late or repeated events are no-ops); inbound messages are
 * stored, pin a contact who texts first to the line, reset the contact's
 * unanswered count and feed the line's send:receive ratio.
 */
@Injectable()
export class AgentEventEffects {
  private readonly logger = new Logger('agent-events');

  constructor(
    private readonly prisma: PrismaService,
    private readonly transitions: MessageTransitionsRepository,
    private readonly gate: SendGate,
    private readonly webhooks: WebhookPublisher,
    private readonly audit: AuditRepository,
    private readonly scheduler: LineSchedulerRepository,
    private readonly dispatcher: DispatcherService,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly metrics: MessageMetrics,
  ) {}

  async apply(nodeId: string, event: AgentEvent): Promise<void> {
    const at = new Date(event.at);
    switch (event.type) {
      case 'message.sent':
        await this.transitions.advance(event.messageId, 'sent', at, {
          ...(event.providerId ? { providerId: event.providerId } : {}),
          detail: 'agent event',
        });
        return;
      case 'message.delivered':
      case 'message.read': {
        const id = event.messageId ?? (event.providerId ? (await this.transitions.findByProviderId(event.providerId))?.id : undefined);
        if (id) await this.transitions.advance(id, event.type === 'message.read' ? 'read' : 'delivered', at);
        return;
      }
      case 'message.failed': {
        const to = event.error.code === 'no_imessage' || event.error.code === 'invalid_recipient' ? 'undeliverable' : 'failed';
        // A retryable failure reported while the dispatcher still owns the send is its to retry.
        if (event.error.retryable) return;
        await this.transitions.advance(event.messageId, to, at, { detail: event.error.message, error: event.error.code });
        return;
      }
      case 'message.received':
        await this.receive(nodeId, event, at);
        return;
      case 'line.deregistered':
        await this.deregistered(nodeId, event.detail, at);
        return;
    }
  }

  private async liveLine(nodeId: string) {
    return this.prisma.line.findFirst({ where: { nodeId, admin: { not: 'retired' } }, orderBy: { createdAt: 'asc' } });
  }

  private async receive(nodeId: string, event: Extract<AgentEvent, { type: 'message.received' }>, at: Date): Promise<void> {
    const handle = ContactHandle.safeParse(event.from);
    if (!handle.success) {
      this.logger.warn(`inbound message from an unusable handle ignored (event ${event.id})`);
      return;
    }
    const line = await this.liveLine(nodeId);
    const id = randomUUID();
    await this.prisma.$transaction(async (tx) => {
      // A contact who texts a line first is pinned to it.
      await tx.$executeRaw`
        INSERT INTO contacts (handle, line_id, assigned_at, last_inbound_at, unanswered, created_at, updated_at)
        VALUES (${handle.data}, ${line?.id ?? null}::uuid, ${line ? at : null}, ${at}, 0, ${at}, ${at})
        ON CONFLICT (handle) DO UPDATE SET
          line_id = COALESCE(contacts.line_id, EXCLUDED.line_id),
          assigned_at = COALESCE(contacts.assigned_at, EXCLUDED.assigned_at),
          last_inbound_at = GREATEST(contacts.last_inbound_at, EXCLUDED.last_inbound_at),
          unanswered = 0,
          updated_at = EXCLUDED.updated_at`;
      await tx.message.create({
        data: {
          id,
          direction: 'inbound',
          contactHandle: handle.data,
          lineId: line?.id ?? null,
          body: event.body ?? null,
          attachments: (event.attachments ?? []) as never,
          status: 'received',
          providerId: event.providerId ?? null,
          createdAt: at,
          history: { create: { status: 'received', at } },
        },
      });
      await this.webhooks.publish(
        tx,
        'message.received',
        {
          messageId: id,
          from: handle.data,
          lineId: line?.id ?? null,
          body: event.body ?? null,
          attachments: event.attachments ?? [],
          receivedAt: at.toISOString(),
        },
        at,
      );
    });
    this.metrics.entered('inbound', 'received');
    if (line) {
      await this.gate.recordInbound(line.id, handle.data, at);
      // Inbound can lift a hold (ratio, unanswered): try the line again now, not at its parked time.
      await this.scheduler.wake(line.id, this.clock.now().getTime());
      this.dispatcher.notify();
    }
  }

  /** imessage-aliases-removed: the number is gone from iMessage; take the line out of rotation. */
  private async deregistered(nodeId: string, detail: string | undefined, at: Date): Promise<void> {
    const line = await this.liveLine(nodeId);
    if (!line || line.reputation === 'flagged' || line.reputation === 'banned') return;
    await this.prisma.$transaction(async (tx) => {
      await tx.line.update({
        where: { id: line.id },
        data: { reputation: 'flagged', reputationReason: 'iMessage addresses deregistered' },
      });
      await this.audit.record(
        {
          actor: 'system:agent-events',
          action: 'line.flag',
          targetType: 'line',
          targetId: line.id,
          reason: 'iMessage addresses deregistered',
          detail: { detail: detail ?? null },
        },
        tx,
      );
      await this.webhooks.publish(
        tx,
        'line.state',
        { lineId: line.id, reputation: 'flagged', previousReputation: line.reputation, reason: 'iMessage addresses deregistered' },
        at,
      );
    });
  }
}
