import { Injectable } from '@nestjs/common';
import type { Tx } from '../audit/audit.repository.js';
import { PrismaService } from '../database/prisma.service.js';
import type { RoutableLine } from '../dispatch/routing.repository.js';

export interface MovedMessage {
  id: string;
  seq: bigint;
}

@Injectable()
export class DrainRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Every line that is not retired, with its node's health: the drain's sources and targets. */
  async lines(): Promise<RoutableLine[]> {
    const rows = await this.prisma.line.findMany({
      // Retired lines only while messages still wait on them (to be moved with their contacts).
      where: {
        OR: [{ admin: { not: 'retired' } }, { messages: { some: { direction: 'outbound', status: { in: ['assigned', 'sending'] } } } }],
      },
      select: { id: true, admin: true, reputation: true, node: { select: { healthState: true, healthChangedAt: true } } },
    });
    return rows.map((row) => ({
      id: row.id,
      admin: row.admin,
      reputation: row.reputation,
      nodeHealth: row.node.healthState,
      nodeHealthChangedAt: row.node.healthChangedAt,
    }));
  }

  async contactCounts(lineIds: string[]): Promise<Map<string, number>> {
    const groups = await this.prisma.contact.groupBy({ by: ['lineId'], where: { lineId: { in: lineIds } }, _count: { _all: true } });
    return new Map(groups.map((group) => [group.lineId ?? '', group._count._all]));
  }

  /**
   * Up to `limit` contacts pinned to the line that may move now: none of their messages is
   * mid-send (moving one would split the contact's order across two senders). Contacts
   * with the oldest waiting message go first; with `waitingOnly`, only contacts that have
   * a message waiting on the line.
   */
  async movableContacts(lineId: string, limit: number, waitingOnly: boolean): Promise<string[]> {
    const rows = await this.prisma.$queryRaw<{ handle: string }[]>`
      SELECT c.handle
      FROM contacts c
      LEFT JOIN messages m
        ON m.contact_handle = c.handle AND m.line_id = c.line_id AND m.direction = 'outbound' AND m.status IN ('assigned', 'sending')
      WHERE c.line_id = ${lineId}::uuid
      GROUP BY c.handle
      HAVING bool_and(m.status IS DISTINCT FROM 'sending') AND (NOT ${waitingOnly} OR count(m.id) > 0)
      ORDER BY min(m.seq) NULLS LAST, min(c.assigned_at), c.handle
      LIMIT ${limit}`;
    return rows.map((row) => row.handle);
  }

  /**
   * Moves a contact and its waiting messages to another line (compare-and-set on the old
   * line). Undefined, and nothing changed, when the contact is no longer on `fromLineId`
   * or one of its messages there is mid-send.
   */
  async moveContact(tx: Tx, handle: string, fromLineId: string, toLineId: string, at: Date): Promise<MovedMessage[] | undefined> {
    const waiting = await tx.$queryRaw<{ status: string }[]>`
      SELECT status::text AS status FROM messages
      WHERE contact_handle = ${handle} AND line_id = ${fromLineId}::uuid AND direction = 'outbound' AND status IN ('assigned', 'sending')
      FOR UPDATE`;
    if (waiting.some((row) => row.status === 'sending')) return undefined;
    const pinned = await tx.contact.updateMany({ where: { handle, lineId: fromLineId }, data: { lineId: toLineId, assignedAt: at } });
    if (pinned.count !== 1) return undefined;
    const moved = await tx.$queryRaw<MovedMessage[]>`
      UPDATE messages SET line_id = ${toLineId}::uuid, updated_at = ${at}
      WHERE contact_handle = ${handle} AND line_id = ${fromLineId}::uuid AND direction = 'outbound' AND status = 'assigned'
      RETURNING id::text AS id, seq`;
    if (moved.length > 0) {
      await tx.messageStatusEvent.createMany({
        data: moved.map((message) => ({
          messageId: message.id,
          status: 'assigned' as const,
          at,
          detail: `moved with its contact from line ${fromLineId} to line ${toLineId}`,
        })),
      });
    }
    return moved.sort((a, b) => (a.seq < b.seq ? -1 : 1));
  }
}
