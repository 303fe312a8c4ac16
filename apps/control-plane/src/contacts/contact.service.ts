import { Inject, Injectable, Optional } from '@nestjs/common';
import type { ContactView } from '@bridgefleet/contracts/fleet.schema.js';
import { isSendable } from '@bridgefleet/policy/line-lifecycle.js';
import { AuditRepository } from '../audit/audit.repository.js';
import type { Principal } from '../auth/principal.js';
import { CLOCK, type Clock } from '../clock/clock.js';
import { PrismaService } from '../database/prisma.service.js';
import { Conflict, NotFound } from '../http/problems.js';
import { WebhookPublisher } from '../webhooks/webhook.publisher.js';
import { ContactRepository, type ContactRow } from './contact.repository.js';

export function toContactView(row: ContactRow): ContactView {
  return {
    handle: row.handle,
    lineId: row.lineId,
    assignedAt: row.assignedAt?.toISOString() ?? null,
    lastInboundAt: row.lastInboundAt?.toISOString() ?? null,
    lastOutboundAt: row.lastOutboundAt?.toISOString() ?? null,
  };
}

@Injectable()
export class ContactService {
  constructor(
    private readonly contacts: ContactRepository,
    private readonly audit: AuditRepository,
    private readonly prisma: PrismaService,
    @Inject(CLOCK) private readonly clock: Clock,
    // Optional so the fleet API also runs in a process without the webhooks module.
    @Optional() private readonly webhooks?: WebhookPublisher,
  ) {}

  async get(handle: string): Promise<ContactView> {
    const row = await this.contacts.findByHandle(handle);
    if (!row) throw new NotFound('Contact', handle);
    return toContactView(row);
  }

  /** Pins a contact (created if new) to a line that may send; its next messages go out from that line. */
  async pin(handle: string, lineId: string, by: Principal): Promise<ContactView> {
    const row = await this.prisma.$transaction(async (tx) => {
      const line = await this.contacts.lockLineForPin(lineId, tx);
      if (!line) throw new NotFound('Line', lineId);
      if (!isSendable(line, line.node.healthState)) {
        throw new Conflict(
          `Line ${lineId} cannot send (admin ${line.admin}, reputation ${line.reputation}, health ${line.node.healthState}); pin to another line.`,
        );
      }
      const before = await this.contacts.findByHandle(handle, tx);
      if (before?.lineId === lineId) return before;
      const at = this.clock.now();
      const pinned = await this.contacts.pin(handle, lineId, at, tx);
      if (before?.lineId) {
        // The user will see a different sender: the backend may want to send a contact card.
        await this.webhooks?.publish(
          tx,
          'contact.reassigned',
          { handle, fromLineId: before.lineId, toLineId: lineId, reason: 'pinned by hand' },
          at,
        );
      }
      await this.audit.record(
        {
          actor: by.actor,
          action: 'contact.pin',
          targetType: 'contact',
          targetId: handle,
          detail: { before: { lineId: before?.lineId ?? null }, after: { lineId }, created: !before },
        },
        tx,
      );
      return pinned;
    });
    this.webhooks?.committed();
    return toContactView(row);
  }
}
