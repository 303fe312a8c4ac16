import { Injectable } from '@nestjs/common';
import type { Tx } from '../audit/audit.repository.js';
import { PrismaService } from '../database/prisma.service.js';
import type { AdminState, HealthState, ReputationState } from '@bridgefleet/policy/line-lifecycle.js';

export interface RoutableLine {
  id: string;
  admin: AdminState;
  reputation: ReputationState;
  nodeHealth: HealthState;
  nodeHealthChangedAt: Date | null;
}

/** A line as routing reads it: also what its new-contact cap depends on. */
export interface RoutedLine extends RoutableLine {
  limits: unknown;
  warmupStartedAt: Date;
}

@Injectable()
export class RoutingRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** One line as routing sees it, read now (the contact's line, or a ring pick to confirm). */
  async line(id: string): Promise<RoutedLine | undefined> {
    const row = await this.prisma.line.findUnique({
      where: { id },
      select: {
        id: true,
        admin: true,
        reputation: true,
        limits: true,
        warmupStartedAt: true,
        node: { select: { healthState: true, healthChangedAt: true } },
      },
    });
    return row
      ? {
          id: row.id,
          admin: row.admin,
          reputation: row.reputation,
          nodeHealth: row.node.healthState,
          nodeHealthChangedAt: row.node.healthChangedAt,
          limits: row.limits,
          warmupStartedAt: row.warmupStartedAt,
        }
      : undefined;
  }

  /**
   * Ids of the lines that are assignable now (DESIGN.md: active, node healthy, warming or
   * good), in ring order; the same condition as isAssignable, evaluated by PostgreSQL.
   */
  async assignableLineIds(): Promise<string[]> {
    const rows = await this.prisma.$queryRaw<{ id: string }[]>`
      SELECT l.id::text AS id FROM lines l JOIN nodes n ON n.id = l.node_id
       WHERE l.admin = 'active' AND n.health_state = 'healthy' AND l.reputation IN ('warming', 'good')
       ORDER BY l.id`;
    return rows.map((row) => row.id);
  }

  /** Whether the contact has outbound messages (other than `except`) waiting or in flight on the line. */
  async hasWaiting(handle: string, lineId: string, except: string): Promise<boolean> {
    const found = await this.prisma.message.findFirst({
      where: { contactHandle: handle, lineId, direction: 'outbound', status: { in: ['assigned', 'sending'] }, id: { not: except } },
      select: { id: true },
    });
    return found !== null;
  }

  contact(handle: string) {
    return this.prisma.contact.findUnique({ where: { handle } });
  }

  /**
   * Pins the contact to `lineId` unless it already has a line; returns the line it
   * ends up on. Two messages to one new contact routed at once agree on one line.
   */
  async pinIfUnassigned(tx: Tx, handle: string, lineId: string, at: Date): Promise<string> {
    const rows = await tx.$queryRaw<{ line_id: string }[]>`
      INSERT INTO contacts (handle, line_id, assigned_at, created_at, updated_at)
      VALUES (${handle}, ${lineId}::uuid, ${at}, ${at}, ${at})
      ON CONFLICT (handle) DO UPDATE
        SET line_id = COALESCE(contacts.line_id, EXCLUDED.line_id),
            assigned_at = CASE WHEN contacts.line_id IS NULL THEN EXCLUDED.assigned_at ELSE contacts.assigned_at END,
            updated_at = EXCLUDED.updated_at
      RETURNING line_id::text AS line_id`;
    return rows[0]!.line_id;
  }

  /** Moves a contact from one line to another (compare-and-set on the old line). */
  async reassign(tx: Tx, handle: string, fromLineId: string, toLineId: string, at: Date): Promise<boolean> {
    const updated = await tx.contact.updateMany({
      where: { handle, lineId: fromLineId },
      data: { lineId: toLineId, assignedAt: at },
    });
    return updated.count === 1;
  }
}
