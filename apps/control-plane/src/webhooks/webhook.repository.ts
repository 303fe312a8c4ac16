import { Injectable } from '@nestjs/common';
import type { Prisma, WebhookDeliveryStatus } from '@bridgefleet/db/generated/client.js';
import { PrismaService } from '../database/prisma.service.js';
import { afterPosition, type KeysetPosition } from '../messages/keyset-cursor.js';

type Tx = Prisma.TransactionClient;

export interface ClaimedDelivery {
  id: string;
  endpointId: string;
  eventType: string;
  payload: unknown;
  attempts: number;
  url: string;
  secret: string;
}

interface ClaimedRow {
  id: string;
  endpoint_id: string;
  event_type: string;
  payload: unknown;
  attempts: number;
  url: string;
  secret: string;
}

@Injectable()
export class WebhookRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** The pool-backed client, for reads outside a transaction. */
  get client(): Tx {
    return this.prisma;
  }

  createEndpoint(data: { id: string; url: string; events: string[]; secret: string }, tx: Tx = this.prisma) {
    return tx.webhookEndpoint.create({ data });
  }

  listEndpoints() {
    return this.prisma.webhookEndpoint.findMany({ orderBy: { createdAt: 'asc' } });
  }

  findEndpoint(id: string) {
    return this.prisma.webhookEndpoint.findUnique({ where: { id } });
  }

  deleteEndpoint(id: string, tx: Tx) {
    return tx.webhookEndpoint.delete({ where: { id } });
  }

  /** Sets disabledAt once; false when it was already disabled (or is gone). */
  async disableEndpoint(id: string, at: Date, tx: Tx): Promise<boolean> {
    const { count } = await tx.webhookEndpoint.updateMany({ where: { id, disabledAt: null }, data: { disabledAt: at } });
    if (count === 0) return false;
    await tx.webhookDelivery.updateMany({
      where: { endpointId: id, status: 'pending' },
      data: { status: 'failed', lastError: 'endpoint disabled', nextAttemptAt: null },
    });
    return true;
  }

  /** The event types some enabled endpoint subscribes to ('*' included as such). */
  async subscribedEventTypes(tx: Tx = this.prisma): Promise<Set<string>> {
    const rows = await tx.$queryRaw<{ type: string }[]>`
      SELECT DISTINCT unnest(events) AS type FROM webhook_endpoints WHERE disabled_at IS NULL`;
    return new Set(rows.map((row) => row.type));
  }

  /** One pending delivery per enabled endpoint subscribed to `type` (or to '*'). */
  insertForSubscribers(type: string, envelope: unknown, tx: Tx): Promise<number> {
    return tx.$executeRaw`
      INSERT INTO webhook_deliveries (id, endpoint_id, event_type, payload, status, next_attempt_at, updated_at)
      SELECT gen_random_uuid(), e.id, ${type}, ${JSON.stringify(envelope)}::jsonb, 'pending', now(), now()
      FROM webhook_endpoints e
      WHERE e.disabled_at IS NULL AND e.events && ARRAY[${type}, '*']::text[]`;
  }

  /**
   * Leases up to `limit` due deliveries by pushing their next_attempt_at to `leaseUntil`,
   * in one statement. SKIP LOCKED keeps senders in other processes off the same rows,
   * and the lease brings a delivery back if its sender dies mid-request.
   */
  async claimDue(now: Date, leaseUntil: Date, limit: number): Promise<ClaimedDelivery[]> {
    const rows = await this.prisma.$queryRaw<ClaimedRow[]>`
      WITH due AS (
        SELECT d.id FROM webhook_deliveries d
        JOIN webhook_endpoints e ON e.id = d.endpoint_id
        WHERE d.status = 'pending' AND d.next_attempt_at <= ${now} AND e.disabled_at IS NULL
        ORDER BY d.next_attempt_at
        LIMIT ${limit}
        FOR UPDATE OF d SKIP LOCKED
      ), claimed AS (
        UPDATE webhook_deliveries w SET next_attempt_at = ${leaseUntil}, updated_at = now()
        FROM due WHERE w.id = due.id
        RETURNING w.id, w.endpoint_id, w.event_type, w.payload, w.attempts
      )
      SELECT c.id, c.endpoint_id, c.event_type, c.payload, c.attempts, e.url, e.secret
      FROM claimed c JOIN webhook_endpoints e ON e.id = c.endpoint_id`;
    return rows.map((row) => ({
      id: row.id,
      endpointId: row.endpoint_id,
      eventType: row.event_type,
      payload: row.payload,
      attempts: row.attempts,
      url: row.url,
      secret: row.secret,
    }));
  }

  recordTry(
    id: string,
    result: {
      status: WebhookDeliveryStatus;
      attempts: number;
      statusCode: number | null;
      error: string | null;
      nextAttemptAt: Date | null;
    },
    tx: Tx = this.prisma,
  ) {
    return tx.webhookDelivery.updateMany({
      where: { id, status: 'pending' },
      data: {
        status: result.status,
        attempts: result.attempts,
        lastStatusCode: result.statusCode,
        lastError: result.error,
        nextAttemptAt: result.nextAttemptAt,
      },
    });
  }

  listDeliveries(endpointId: string, filter: { status?: WebhookDeliveryStatus; limit: number; after?: KeysetPosition }) {
    return this.prisma.webhookDelivery.findMany({
      where: { endpointId, ...(filter.status ? { status: filter.status } : {}), ...afterPosition(filter.after) },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: filter.limit + 1,
    });
  }

  findDelivery(id: string) {
    return this.prisma.webhookDelivery.findUnique({ where: { id }, include: { endpoint: true } });
  }

  /** Puts a finished delivery back in line; null when it is already pending. */
  async requeue(id: string, now: Date, tx: Tx) {
    const { count } = await tx.webhookDelivery.updateMany({
      where: { id, status: { not: 'pending' } },
      data: { status: 'pending', nextAttemptAt: now, lastError: null },
    });
    return count === 0 ? null : tx.webhookDelivery.findUniqueOrThrow({ where: { id } });
  }
}
