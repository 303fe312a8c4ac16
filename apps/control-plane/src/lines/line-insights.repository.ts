import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service.js';

/** Read-only views of a line for the dashboard: its daily history and its contacts. */
@Injectable()
export class LineInsightsRepository {
  constructor(private readonly prisma: PrismaService) {}

  lineExists(id: string): Promise<boolean> {
    return this.prisma.line.count({ where: { id } }).then((count) => count > 0);
  }

  /** The newest `days` persisted governor days (day keys sort as dates). */
  recentDays(lineId: string, days: number) {
    return this.prisma.lineDailyUsage.findMany({ where: { lineId }, orderBy: { day: 'desc' }, take: days });
  }

  /** Today's usage rows of lines still in service, with what is needed to weigh them against their limits. */
  activeOn(day: string) {
    return this.prisma.lineDailyUsage.findMany({
      where: { day, line: { admin: { not: 'retired' } } },
      include: { line: { select: { phoneNumber: true, limits: true } } },
    });
  }

  /** Lines by admin and reputation state (at most 5 × 5 groups). */
  stateCounts() {
    return this.prisma.line.groupBy({ by: ['admin', 'reputation'], _count: { _all: true } });
  }

  /** Contacts pinned to the line by handle; one more than asked to tell whether a next page exists. */
  contacts(lineId: string, limit: number, afterHandle?: string) {
    return this.prisma.contact.findMany({
      where: { lineId, ...(afterHandle ? { handle: { gt: afterHandle } } : {}) },
      orderBy: { handle: 'asc' },
      take: limit + 1,
    });
  }
}
