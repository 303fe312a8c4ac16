import { Injectable } from '@nestjs/common';
import type { Message, MessageDirection, MessageStatus, Prisma } from '@bridgefleet/db/generated/client.js';
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

export interface StatusChange {
  id: string;
  from: readonly MessageStatus[];
  to: MessageStatus;
  at: Date;
  detail?: string;
  /** undefined keeps the column; null clears it. */
  error?: string | null;
  lineId?: string | null;
  providerId?: string;
  incrementAttempts?: boolean;
  /** The change is the message's send: the contact's lastOutboundAt and unanswered count move with it. */
  countOutbound: boolean;
}

interface ChangedRow {
  previous: MessageStatus;
  id: string | null;
  seq: bigint;
  direction: MessageDirection;
  contact_handle: string;
  line_id: string | null;
  body: string | null;
  attachments: Prisma.JsonValue;
  metadata: Prisma.JsonValue | null;
  status: MessageStatus;
  idempotency_key: string | null;
  valid_until: Date | null;
  provider_id: string | null;
  attempts: number;
  error: string | null;
  created_at: Date;
  updated_at: Date;
}

function toMessage(row: ChangedRow): Message {
  return {
    id: row.id!,
    seq: BigInt(row.seq),
    direction: row.direction,
    contactHandle: row.contact_handle,
    lineId: row.line_id,
    body: row.body,
    attachments: row.attachments,
    metadata: row.metadata,
    status: row.status,
    idempotencyKey: row.idempotency_key,
    validUntil: row.valid_until,
    providerId: row.provider_id,
    attempts: row.attempts,
    error: row.error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
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

  /**
   * A status change as one statement: locks the row, moves it if its status is one of
   * `from`, adds the history entry and (for `sent`) counts the send on the contact.
   * Returns the status found under the lock (undefined: no such message) and the
   * updated row when the change applied. One round trip instead of four to six.
   */
  async applyStatusChange(tx: Tx, change: StatusChange): Promise<{ previous: MessageStatus | undefined; message?: Message }> {
    const rows = await tx.$queryRaw<ChangedRow[]>`
      WITH prev AS (
        SELECT id, status FROM messages WHERE id = ${change.id}::uuid FOR UPDATE
      ), moved AS (
        UPDATE messages m SET
          status = ${change.to}::text::"MessageStatus",
          error = CASE WHEN ${change.error !== undefined}::boolean THEN ${change.error ?? null}::text ELSE m.error END,
          line_id = CASE WHEN ${change.lineId !== undefined}::boolean THEN ${change.lineId ?? null}::uuid ELSE m.line_id END,
          provider_id = COALESCE(${change.providerId ?? null}::text, m.provider_id),
          attempts = m.attempts + ${change.incrementAttempts ? 1 : 0}::int,
          updated_at = ${new Date()}
        FROM prev
        WHERE m.id = prev.id AND prev.status::text = ANY(${[...change.from]}::text[])
        RETURNING m.*
      ), history AS (
        INSERT INTO message_status_events (message_id, status, at, detail)
        SELECT id, status, ${change.at}, ${change.detail ?? null}::text FROM moved
      ), counted AS (
        UPDATE contacts SET last_outbound_at = ${change.at}, unanswered = unanswered + 1, updated_at = ${change.at}
        WHERE ${change.countOutbound}::boolean AND handle IN (SELECT contact_handle FROM moved)
      )
      SELECT prev.status::text AS previous, moved.id::text AS id, moved.seq, moved.direction::text AS direction,
             moved.contact_handle, moved.line_id::text AS line_id, moved.body, moved.attachments, moved.metadata,
             moved.status::text AS status, moved.idempotency_key, moved.valid_until, moved.provider_id, moved.attempts,
             moved.error, moved.created_at, moved.updated_at
        FROM prev LEFT JOIN moved ON true`;
    const row = rows[0];
    if (!row) return { previous: undefined };
    return { previous: row.previous, ...(row.id === null ? {} : { message: toMessage(row) }) };
  }
}
