import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service.js';

type Counts = Record<string, number>;

const WAITING = ['queued', 'assigned'] as const;

/** Fleet-wide counts for the dashboard; each query groups by a bounded set of state names. */
@Injectable()
export class DashboardRepository {
  constructor(private readonly prisma: PrismaService) {}

  async lineCounts(): Promise<{ admin: Counts; reputation: Counts; health: Counts; total: number }> {
    const [admin, reputation, health] = await Promise.all([
      this.prisma.line.groupBy({ by: ['admin'], _count: { _all: true } }),
      this.prisma.line.groupBy({ by: ['reputation'], _count: { _all: true } }),
      // A line's health is its node's.
      this.prisma.$queryRaw<{ state: string; count: bigint }[]>`
        SELECT n.health_state::text AS state, count(*) AS count FROM lines l JOIN nodes n ON n.id = l.node_id GROUP BY 1`,
    ]);
    return {
      admin: Object.fromEntries(admin.map((row) => [row.admin, row._count._all])),
      reputation: Object.fromEntries(reputation.map((row) => [row.reputation, row._count._all])),
      health: Object.fromEntries(health.map((row) => [row.state, Number(row.count)])),
      total: admin.reduce((sum, row) => sum + row._count._all, 0),
    };
  }

  async nodeCounts(): Promise<{ health: Counts; total: number }> {
    const rows = await this.prisma.node.groupBy({ by: ['healthState'], _count: { _all: true } });
    return {
      health: Object.fromEntries(rows.map((row) => [row.healthState, row._count._all])),
      total: rows.reduce((sum, row) => sum + row._count._all, 0),
    };
  }

  async messageCounts(): Promise<{ waiting: number; sending: number }> {
    const [waiting, sending] = await Promise.all([
      this.prisma.message.count({ where: { direction: 'outbound', status: { in: [...WAITING] } } }),
      this.prisma.message.count({ where: { direction: 'outbound', status: 'sending' } }),
    ]);
    return { waiting, sending };
  }

  /** Waiting outbound messages per line (lines with none are left out). */
  async waitingByLine(): Promise<Counts> {
    const rows = await this.prisma.message.groupBy({
      by: ['lineId'],
      where: { direction: 'outbound', status: { in: [...WAITING] }, lineId: { not: null } },
      _count: { _all: true },
    });
    return Object.fromEntries(rows.map((row) => [row.lineId!, row._count._all]));
  }
}
