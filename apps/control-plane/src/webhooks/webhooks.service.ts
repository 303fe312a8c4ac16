import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { CreateWebhookBody, DeliveryListQuery, WebhookDeliveryView, WebhookView } from '@bridgefleet/contracts/webhooks.schema.js';
import { AuditRepository } from '../audit/audit.repository.js';
import type { Principal } from '../auth/principal.js';
import { PrismaService } from '../database/prisma.service.js';
import { Conflict, NotFound } from '../http/problems.js';
import { decodeCursor, encodeCursor } from '../messages/keyset-cursor.js';
import { generateWebhookSecret } from './webhook-signature.js';
import { WebhookPublisher } from './webhook.publisher.js';
import { WebhookRepository } from './webhook.repository.js';

type EndpointRow = NonNullable<Awaited<ReturnType<WebhookRepository['findEndpoint']>>>;
type DeliveryRow = Awaited<ReturnType<WebhookRepository['listDeliveries']>>[number];

export function toWebhookView(row: EndpointRow): WebhookView {
  return {
    id: row.id,
    url: row.url,
    events: row.events,
    disabledAt: row.disabledAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

export function toDeliveryView(row: DeliveryRow): WebhookDeliveryView {
  return {
    id: row.id,
    endpointId: row.endpointId,
    type: row.eventType,
    status: row.status,
    attempts: row.attempts,
    lastStatusCode: row.lastStatusCode,
    lastError: row.lastError,
    nextAttemptAt: row.nextAttemptAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

@Injectable()
export class WebhooksService {
  constructor(
    private readonly repository: WebhookRepository,
    private readonly publisher: WebhookPublisher,
    private readonly audit: AuditRepository,
    private readonly prisma: PrismaService,
  ) {}

  async create(body: CreateWebhookBody, principal: Principal) {
    const secret = generateWebhookSecret();
    const row = await this.prisma.$transaction(async (tx) => {
      const created = await this.repository.createEndpoint({ id: randomUUID(), url: body.url, events: [...body.events], secret }, tx);
      await this.audit.record(
        {
          actor: principal.actor,
          action: 'webhook.create',
          targetType: 'webhook',
          targetId: created.id,
          detail: { url: body.url, events: body.events },
        },
        tx,
      );
      return created;
    });
    // Publishers in this process skip the fan-out query while no endpoint subscribes: tell them at once.
    this.publisher.subscriptionsChanged();
    return { ...toWebhookView(row), secret };
  }

  async list(): Promise<WebhookView[]> {
    return (await this.repository.listEndpoints()).map(toWebhookView);
  }

  async remove(id: string, principal: Principal): Promise<WebhookView> {
    const row = await this.prisma.$transaction(async (tx) => {
      const existing = await tx.webhookEndpoint.findUnique({ where: { id } });
      if (!existing) throw new NotFound('Webhook', id);
      await this.repository.deleteEndpoint(id, tx);
      await this.audit.record({ actor: principal.actor, action: 'webhook.delete', targetType: 'webhook', targetId: id }, tx);
      return existing;
    });
    return toWebhookView(row);
  }

  async deliveries(endpointId: string, query: DeliveryListQuery) {
    if (!(await this.repository.findEndpoint(endpointId))) throw new NotFound('Webhook', endpointId);
    const rows = await this.repository.listDeliveries(endpointId, {
      status: query.status,
      limit: query.limit,
      after: query.cursor === undefined ? undefined : decodeCursor(query.cursor),
    });
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return { items: page.map(toDeliveryView), nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null };
  }

  /** Sends a finished (succeeded, failed or dead) delivery once more, with the same webhook-id. */
  async replay(deliveryId: string, principal: Principal): Promise<WebhookDeliveryView> {
    const existing = await this.repository.findDelivery(deliveryId);
    if (!existing) throw new NotFound('Webhook delivery', deliveryId);
    if (existing.endpoint.disabledAt) throw new Conflict('The endpoint of this delivery is disabled.');
    const row = await this.prisma.$transaction(async (tx) => {
      const requeued = await this.repository.requeue(deliveryId, new Date(), tx);
      if (!requeued) throw new Conflict('The delivery is already pending.');
      await this.audit.record(
        {
          actor: principal.actor,
          action: 'webhook.replay',
          targetType: 'webhook_delivery',
          targetId: deliveryId,
          detail: { previousStatus: existing.status },
        },
        tx,
      );
      return requeued;
    });
    this.publisher.committed();
    return toDeliveryView(row);
  }
}
