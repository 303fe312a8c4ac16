import { Injectable } from '@nestjs/common';
import type { HealthState, LineAdminState, LineReputation, Prisma } from '@bridgefleet/db/generated/client.js';
import type { KeysetPosition } from '@bridgefleet/contracts/fleet.schema.js';
import type { Tx } from '../audit/audit.repository.js';
import { PrismaService } from '../database/prisma.service.js';

const withNodeHealth = { node: { select: { healthState: true } } } as const;

export type LineRow = NonNullable<Awaited<ReturnType<LineRepository['findById']>>>;

export interface LineFilter {
  limit: number;
  after?: KeysetPosition;
  admin?: LineAdminState;
  reputation?: LineReputation;
  health?: HealthState;
  nodeId?: string;
}

@Injectable()
export class LineRepository {
  constructor(private readonly prisma: PrismaService) {}

  findById(id: string, tx: Tx = this.prisma) {
    return tx.line.findUnique({ where: { id }, include: withNodeHealth });
  }

  findByPhoneNumber(phoneNumber: string, tx: Tx = this.prisma) {
    return tx.line.findUnique({ where: { phoneNumber } });
  }

  nodeExists(nodeId: string, tx: Tx) {
    return tx.node.count({ where: { id: nodeId } }).then((count) => count > 0);
  }

  /** Oldest first; one row more than asked so the caller knows whether another page exists. */
  list(filter: LineFilter) {
    return this.prisma.line.findMany({
      where: {
        ...(filter.admin ? { admin: filter.admin } : {}),
        ...(filter.reputation ? { reputation: filter.reputation } : {}),
        ...(filter.nodeId ? { nodeId: filter.nodeId } : {}),
        ...(filter.health ? { node: { healthState: filter.health } } : {}),
        ...(filter.after
          ? {
              OR: [{ createdAt: { gt: filter.after.createdAt } }, { createdAt: filter.after.createdAt, id: { gt: filter.after.id } }],
            }
          : {}),
      },
      include: withNodeHealth,
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: filter.limit + 1,
    });
  }

  create(data: Prisma.LineUncheckedCreateInput, tx: Tx) {
    return tx.line.create({ data, include: withNodeHealth });
  }

  updateLimits(id: string, limits: Prisma.InputJsonValue, tx: Tx) {
    return tx.line.update({ where: { id }, data: { limits }, include: withNodeHealth });
  }

  /** Compare-and-set: changes the admin state only if it is still `from`; false when someone else won. */
  async setAdminIf(id: string, from: LineAdminState, to: LineAdminState, tx: Tx): Promise<boolean> {
    const { count } = await tx.line.updateMany({ where: { id, admin: from }, data: { admin: to } });
    return count === 1;
  }

  /** Compare-and-set on the reputation; a ban also retires the line in the same statement. */
  async setReputationIf(
    id: string,
    from: LineReputation,
    change: { to: LineReputation; reason: string | null; admin?: LineAdminState },
    tx: Tx,
  ): Promise<boolean> {
    const { count } = await tx.line.updateMany({
      where: { id, reputation: from },
      data: { reputation: change.to, reputationReason: change.reason, ...(change.admin ? { admin: change.admin } : {}) },
    });
    return count === 1;
  }

  usageOn(lineIds: string[], day: string) {
    return this.prisma.lineDailyUsage.findMany({ where: { lineId: { in: lineIds }, day } });
  }

  /** Messages waiting on each line (assigned or mid-send): one grouped query for a whole page. */
  async waitingCounts(lineIds: string[]): Promise<Map<string, number>> {
    const groups = await this.prisma.message.groupBy({
      by: ['lineId'],
      where: { lineId: { in: lineIds }, status: { in: ['assigned', 'sending'] } },
      _count: { _all: true },
    });
    return new Map(groups.map((group) => [group.lineId ?? '', group._count._all]));
  }

  async contactCounts(lineIds: string[]): Promise<Map<string, number>> {
    const groups = await this.prisma.contact.groupBy({ by: ['lineId'], where: { lineId: { in: lineIds } }, _count: { _all: true } });
    return new Map(groups.map((group) => [group.lineId ?? '', group._count._all]));
  }
}
